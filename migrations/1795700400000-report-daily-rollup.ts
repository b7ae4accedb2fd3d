import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Playback counts per commune × village × local day × schedule × priority × status × failure reason, kept exact by triggers in the
 * same transaction as every change to `playbacks`, so a month's summary reads a few thousand rows instead of a
 * hundred thousand playbacks. The local day is the scheduled instant's calendar day in the commune's zone.
 */
export class ReportDailyRollup1795700400000 implements MigrationInterface {
  name = 'ReportDailyRollup1795700400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "report_daily" ("commune_id" uuid NOT NULL, "local_day" date NOT NULL, "village_id" uuid NOT NULL, "schedule_id" uuid NOT NULL, "priority" text NOT NULL, "status" text NOT NULL, "reason" text NOT NULL, "playbacks" integer NOT NULL, CONSTRAINT "PK_report_daily" PRIMARY KEY ("commune_id", "local_day", "village_id", "schedule_id", "priority", "status", "reason"))`,
    );
    // One statement's changes are folded into one upsert. Rows are first summed by their scheduled instant (a dispatch
    // batch shares a few instants), so the zone conversion runs on a handful of groups; keys whose +1 and -1 cancel
    // (an update of evidence or lateness) write nothing; rollup rows are locked in key order so writers cannot deadlock.
    await queryRunner.query(`CREATE FUNCTION report_daily_apply() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await queryRunner.query(
      `CREATE TRIGGER "playbacks_report_daily_insert" AFTER INSERT ON "playbacks" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_daily_apply()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "playbacks_report_daily_update" AFTER UPDATE ON "playbacks" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_daily_apply()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "playbacks_report_daily_delete" AFTER DELETE ON "playbacks" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_daily_apply()`,
    );
    // A commune that changes zone regroups its playbacks by the new calendar days.
    await queryRunner.query(`CREATE FUNCTION report_daily_rezone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_daily WHERE commune_id = NEW.id;
  INSERT INTO report_daily ("commune_id", "local_day", "village_id", "schedule_id", "priority", "status", "reason", "playbacks")
  SELECT p.commune_id, (p.scheduled_at AT TIME ZONE NEW.timezone)::date, p.village_id, p.schedule_id, p.priority, p.status, coalesce(p.failure_reason, ''), count(*)
  FROM playbacks p WHERE p.commune_id = NEW.id GROUP BY 1, 2, 3, 4, 5, 6, 7;
  RETURN NULL;
END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "communes_report_daily_rezone" AFTER UPDATE OF "timezone" ON "communes" FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone) EXECUTE FUNCTION report_daily_rezone()`,
    );
    await queryRunner.query(`INSERT INTO report_daily ("commune_id", "local_day", "village_id", "schedule_id", "priority", "status", "reason", "playbacks")
      SELECT p.commune_id, (p.scheduled_at AT TIME ZONE c.timezone)::date, p.village_id, p.schedule_id, p.priority, p.status, coalesce(p.failure_reason, ''), count(*)
      FROM playbacks p JOIN communes c ON c.id = p.commune_id GROUP BY 1, 2, 3, 4, 5, 6, 7`);
    // The as-run log and the raw summary read one commune's period in scheduled order.
    await queryRunner.query(`CREATE INDEX "IDX_playbacks_commune_scheduled_at" ON "playbacks" ("commune_id", "scheduled_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_playbacks_commune_scheduled_at"`);
    await queryRunner.query(`DROP TRIGGER "communes_report_daily_rezone" ON "communes"`);
    await queryRunner.query(`DROP FUNCTION report_daily_rezone()`);
    await queryRunner.query(`DROP TRIGGER "playbacks_report_daily_delete" ON "playbacks"`);
    await queryRunner.query(`DROP TRIGGER "playbacks_report_daily_update" ON "playbacks"`);
    await queryRunner.query(`DROP TRIGGER "playbacks_report_daily_insert" ON "playbacks"`);
    await queryRunner.query(`DROP FUNCTION report_daily_apply()`);
    await queryRunner.query(`DROP TABLE "report_daily"`);
  }
}
