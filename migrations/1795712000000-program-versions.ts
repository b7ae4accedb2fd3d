import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A schedule's program is versioned: an edit of its bulletins adds a version and keeps the old ones, and each
 * playback names the version it aired (or will air). The broadcast log and the summaries then show what actually
 * went on air, even after the culture office changed the schedule's bulletins. The daily rollup counts per version;
 * its trigger functions are those of ReportDailyRollup1795700400000 with the version in the key.
 */
export class ProgramVersions1795712000000 implements MigrationInterface {
  name = 'ProgramVersions1795712000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "schedules" ADD "program_version" integer NOT NULL DEFAULT '1'`);
    // Every existing program is version 1; later versions are always written with their number.
    await queryRunner.query(`ALTER TABLE "schedule_bulletins" ADD "version" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "schedule_bulletins" ALTER COLUMN "version" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "schedule_bulletins" DROP CONSTRAINT "PK_7da20368f5af411b40b7aa875de"`);
    await queryRunner.query(`ALTER TABLE "schedule_bulletins" ADD CONSTRAINT "PK_schedule_bulletins" PRIMARY KEY ("schedule_id", "version", "position")`);
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "program_version" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "report_daily" ADD "program_version" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "report_daily" DROP CONSTRAINT "PK_report_daily"`);
    await queryRunner.query(
      `ALTER TABLE "report_daily" ADD CONSTRAINT "PK_report_daily" PRIMARY KEY ("commune_id", "local_day", "village_id", "schedule_id", "program_version", "priority", "status", "reason")`,
    );
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
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION report_daily_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO report_daily AS r ("commune_id", "local_day", "village_id", "schedule_id", "priority", "status", "reason", "playbacks")
    SELECT d.commune_id, (d.scheduled_at AT TIME ZONE c.timezone)::date, d.village_id, d.schedule_id, d.priority, d.status, d.reason, sum(d.n)
    FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, priority, status, coalesce(failure_reason, '') AS reason, count(*) AS n FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6, 7) d
    JOIN communes c ON c.id = d.commune_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("commune_id", "local_day", "village_id", "schedule_id", "priority", "status", "reason") DO UPDATE SET "playbacks" = r.playbacks + EXCLUDED.playbacks;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE report_daily r SET "playbacks" = r.playbacks - d.n
    FROM (SELECT g.commune_id, (g.scheduled_at AT TIME ZONE c.timezone)::date AS local_day, g.village_id, g.schedule_id, g.priority, g.status, g.reason, sum(g.n) AS n
          FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, priority, status, coalesce(failure_reason, '') AS reason, count(*) AS n FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6, 7) g
          JOIN communes c ON c.id = g.commune_id GROUP BY 1, 2, 3, 4, 5, 6, 7) d
    WHERE (r.commune_id, r.local_day, r.village_id, r.schedule_id, r.priority, r.status, r.reason) = (d.commune_id, d.local_day, d.village_id, d.schedule_id, d.priority, d.status, d.reason);
  ELSE
    INSERT INTO report_daily AS r ("commune_id", "local_day", "village_id", "schedule_id", "priority", "status", "reason", "playbacks")
    SELECT d.commune_id, (d.scheduled_at AT TIME ZONE c.timezone)::date, d.village_id, d.schedule_id, d.priority, d.status, d.reason, sum(d.n)
    FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, priority, status, reason, sum(delta) AS n
          FROM (SELECT commune_id, scheduled_at, village_id, schedule_id, priority, status, coalesce(failure_reason, '') AS reason, 1 AS delta FROM new_rows
                UNION ALL
                SELECT commune_id, scheduled_at, village_id, schedule_id, priority, status, coalesce(failure_reason, ''), -1 FROM old_rows) x
          GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(delta) <> 0) d
    JOIN communes c ON c.id = d.commune_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ("commune_id", "local_day", "village_id", "schedule_id", "priority", "status", "reason") DO UPDATE SET "playbacks" = r.playbacks + EXCLUDED.playbacks;
  END IF;
  RETURN NULL;
END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION report_daily_rezone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_daily WHERE commune_id = NEW.id;
  INSERT INTO report_daily ("commune_id", "local_day", "village_id", "schedule_id", "priority", "status", "reason", "playbacks")
  SELECT p.commune_id, (p.scheduled_at AT TIME ZONE NEW.timezone)::date, p.village_id, p.schedule_id, p.priority, p.status, coalesce(p.failure_reason, ''), count(*)
  FROM playbacks p WHERE p.commune_id = NEW.id GROUP BY 1, 2, 3, 4, 5, 6, 7;
  RETURN NULL;
END $$`);
    await queryRunner.query(`DELETE FROM report_daily`);
    await queryRunner.query(`ALTER TABLE "report_daily" DROP CONSTRAINT "PK_report_daily"`);
    await queryRunner.query(`ALTER TABLE "report_daily" DROP COLUMN "program_version"`);
    await queryRunner.query(
      `ALTER TABLE "report_daily" ADD CONSTRAINT "PK_report_daily" PRIMARY KEY ("commune_id", "local_day", "village_id", "schedule_id", "priority", "status", "reason")`,
    );
    await queryRunner.query(`INSERT INTO report_daily ("commune_id", "local_day", "village_id", "schedule_id", "priority", "status", "reason", "playbacks")
      SELECT p.commune_id, (p.scheduled_at AT TIME ZONE c.timezone)::date, p.village_id, p.schedule_id, p.priority, p.status, coalesce(p.failure_reason, ''), count(*)
      FROM playbacks p JOIN communes c ON c.id = p.commune_id GROUP BY 1, 2, 3, 4, 5, 6, 7`);
    await queryRunner.query(`ALTER TABLE "playbacks" DROP COLUMN "program_version"`);
    // Only each schedule's current program survives the way back.
    await queryRunner.query(`DELETE FROM schedule_bulletins sb USING schedules s WHERE s.id = sb.schedule_id AND sb.version <> s.program_version`);
    await queryRunner.query(`ALTER TABLE "schedule_bulletins" DROP CONSTRAINT "PK_schedule_bulletins"`);
    await queryRunner.query(`ALTER TABLE "schedule_bulletins" DROP COLUMN "version"`);
    await queryRunner.query(`ALTER TABLE "schedule_bulletins" ADD CONSTRAINT "PK_7da20368f5af411b40b7aa875de" PRIMARY KEY ("schedule_id", "position")`);
    await queryRunner.query(`ALTER TABLE "schedules" DROP COLUMN "program_version"`);
  }
}
