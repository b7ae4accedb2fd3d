import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A playback's reason is a code apart from its human detail: `failure_reason` held both (`timeout: no answer in
 * 10 s (after 3 attempts, …)`), so reports grouped by the whole text and the console could not label it. The code
 * goes to `failure_code` (one of the known codes, see src/playbacks/playback-failure.ts), the rest to
 * `failure_detail`; a legacy text whose first word is no known code is kept whole as the detail, with no code.
 * The daily rollup's `reason` is now the code: its trigger functions are those of ProgramVersions1795712000000 with
 * `failure_code` for `failure_reason`, and its rows are counted again from the playbacks.
 */
export class PlaybackFailureCodes1795730000000 implements MigrationInterface {
  name = 'PlaybackFailureCodes1795730000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "failure_code" text`);
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "failure_detail" text`);
    await queryRunner.query(
      `ALTER TABLE "playbacks" ADD CONSTRAINT "CHK_playbacks_failure_code" CHECK ("failure_code" IN ('late', 'speaker_busy', 'service_down', 'worker_lost', 'schedule_cancelled', 'preempted_by_emergency', 'broadcast_stopped', 'speaker_unavailable', 'audio_unavailable', 'interrupted', 'unreachable', 'auth', 'busy', 'rejected', 'timeout', 'protocol'))`,
    );
    await queryRunner.query(`UPDATE "playbacks" SET
        "failure_code" = CASE WHEN split_part("failure_reason", ':', 1) IN ('late', 'speaker_busy', 'service_down', 'worker_lost', 'schedule_cancelled', 'preempted_by_emergency', 'broadcast_stopped', 'speaker_unavailable', 'audio_unavailable', 'interrupted', 'unreachable', 'auth', 'busy', 'rejected', 'timeout', 'protocol') THEN split_part("failure_reason", ':', 1) END,
        "failure_detail" = CASE WHEN split_part("failure_reason", ':', 1) IN ('late', 'speaker_busy', 'service_down', 'worker_lost', 'schedule_cancelled', 'preempted_by_emergency', 'broadcast_stopped', 'speaker_unavailable', 'audio_unavailable', 'interrupted', 'unreachable', 'auth', 'busy', 'rejected', 'timeout', 'protocol')
                                THEN nullif(btrim(substr("failure_reason", length(split_part("failure_reason", ':', 1)) + 2)), '')
                                ELSE "failure_reason" END
      WHERE "failure_reason" IS NOT NULL`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION report_daily_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_daily AS r ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason", "playbacks")
    SELECT d.commune_id, (d.scheduled_at AT TIME ZONE c.timezone)::date, d.village_id, d.schedule_id, d.program_version, d.priority, d.status, d.reason, sum(d.n)
    FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, program_version, priority, status, coalesce(failure_code, '') AS reason, count(*) AS n FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) d
    JOIN communes c ON c.id = d.commune_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason") DO UPDATE SET "playbacks" = r.playbacks + EXCLUDED.playbacks;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE report_daily r SET "playbacks" = r.playbacks - d.n
    FROM (SELECT g.commune_id, (g.scheduled_at AT TIME ZONE c.timezone)::date AS local_day, g.village_id, g.schedule_id, g.program_version, g.priority, g.status, g.reason, sum(g.n) AS n
          FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, program_version, priority, status, coalesce(failure_code, '') AS reason, count(*) AS n FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) g
          JOIN communes c ON c.id = g.commune_id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) d
    WHERE (r.commune_id, r.local_day, r.village_id, r.schedule_id, r.program_version, r.priority, r.status, r.reason) = (d.commune_id, d.local_day, d.village_id, d.schedule_id, d.program_version, d.priority, d.status, d.reason);
  ELSE
    INSERT INTO report_daily AS r ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason", "playbacks")
    SELECT d.commune_id, (d.scheduled_at AT TIME ZONE c.timezone)::date, d.village_id, d.schedule_id, d.program_version, d.priority, d.status, d.reason, sum(d.n)
    FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, program_version, priority, status, reason, sum(delta) AS n
          FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, program_version, priority, status, coalesce(failure_code, '') AS reason, 1 AS delta FROM new_rows
                UNION ALL
                SELECT commune_id, scheduled_at, village_id, schedule_id, program_version, priority, status, coalesce(failure_code, ''), -1 FROM old_rows) x
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(delta) <> 0) d
    JOIN communes c ON c.id = d.commune_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason") DO UPDATE SET "playbacks" = r.playbacks + EXCLUDED.playbacks;
  END IF;
  RETURN NULL;
END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION report_daily_rezone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_daily WHERE commune_id = NEW.id;
  INSERT INTO report_daily ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason", "playbacks")
  SELECT p.commune_id, (p.scheduled_at AT TIME ZONE NEW.timezone)::date, p.village_id, p.schedule_id, p.program_version, p.priority, p.status, coalesce(p.failure_code, ''), count(*)
  FROM playbacks p WHERE p.commune_id = NEW.id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
  RETURN NULL;
END $$`);
    await this.recount(queryRunner, 'failure_code');
    await queryRunner.query(`ALTER TABLE "playbacks" DROP COLUMN "failure_reason"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "failure_reason" text`);
    await queryRunner.query(`UPDATE "playbacks" SET "failure_reason" = CASE
        WHEN "failure_code" IS NULL THEN "failure_detail"
        WHEN "failure_detail" IS NULL THEN "failure_code"
        ELSE "failure_code" || ': ' || "failure_detail" END
      WHERE "failure_code" IS NOT NULL OR "failure_detail" IS NOT NULL`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION report_daily_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_daily AS r ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason", "playbacks")
    SELECT d.commune_id, (d.scheduled_at AT TIME ZONE c.timezone)::date, d.village_id, d.schedule_id, d.program_version, d.priority, d.status, d.reason, sum(d.n)
    FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, program_version, priority, status, coalesce(failure_reason, '') AS reason, count(*) AS n FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) d
    JOIN communes c ON c.id = d.commune_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason") DO UPDATE SET "playbacks" = r.playbacks + EXCLUDED.playbacks;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE report_daily r SET "playbacks" = r.playbacks - d.n
    FROM (SELECT g.commune_id, (g.scheduled_at AT TIME ZONE c.timezone)::date AS local_day, g.village_id, g.schedule_id, g.program_version, g.priority, g.status, g.reason, sum(g.n) AS n
          FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, program_version, priority, status, coalesce(failure_reason, '') AS reason, count(*) AS n FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) g
          JOIN communes c ON c.id = g.commune_id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) d
    WHERE (r.commune_id, r.local_day, r.village_id, r.schedule_id, r.program_version, r.priority, r.status, r.reason) = (d.commune_id, d.local_day, d.village_id, d.schedule_id, d.program_version, d.priority, d.status, d.reason);
  ELSE
    INSERT INTO report_daily AS r ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason", "playbacks")
    SELECT d.commune_id, (d.scheduled_at AT TIME ZONE c.timezone)::date, d.village_id, d.schedule_id, d.program_version, d.priority, d.status, d.reason, sum(d.n)
    FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, program_version, priority, status, reason, sum(delta) AS n
          FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, program_version, priority, status, coalesce(failure_reason, '') AS reason, 1 AS delta FROM new_rows
                UNION ALL
                SELECT commune_id, scheduled_at, village_id, schedule_id, program_version, priority, status, coalesce(failure_reason, ''), -1 FROM old_rows) x
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(delta) <> 0) d
    JOIN communes c ON c.id = d.commune_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason") DO UPDATE SET "playbacks" = r.playbacks + EXCLUDED.playbacks;
  END IF;
  RETURN NULL;
END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION report_daily_rezone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_daily WHERE commune_id = NEW.id;
  INSERT INTO report_daily ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason", "playbacks")
  SELECT p.commune_id, (p.scheduled_at AT TIME ZONE NEW.timezone)::date, p.village_id, p.schedule_id, p.program_version, p.priority, p.status, coalesce(p.failure_reason, ''), count(*)
  FROM playbacks p WHERE p.commune_id = NEW.id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
  RETURN NULL;
END $$`);
    await this.recount(queryRunner, 'failure_reason');
    await queryRunner.query(`ALTER TABLE "playbacks" DROP CONSTRAINT "CHK_playbacks_failure_code"`);
    await queryRunner.query(`ALTER TABLE "playbacks" DROP COLUMN "failure_detail"`);
    await queryRunner.query(`ALTER TABLE "playbacks" DROP COLUMN "failure_code"`);
  }

  /** The rollup counted again from the playbacks, its `reason` read from `column`. */
  private async recount(queryRunner: QueryRunner, column: 'failure_code' | 'failure_reason'): Promise<void> {
    await queryRunner.query(`DELETE FROM report_daily`);
    await queryRunner.query(`INSERT INTO report_daily ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason", "playbacks")
      SELECT p.commune_id, (p.scheduled_at AT TIME ZONE c.timezone)::date, p.village_id, p.schedule_id, p.program_version, p.priority, p.status, coalesce(p.${column}, ''), count(*)
      FROM playbacks p JOIN communes c ON c.id = p.commune_id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
  }
}
