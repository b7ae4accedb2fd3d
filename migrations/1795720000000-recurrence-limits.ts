import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recurrences that cannot run away. Each commune says how dense one schedule may be (least time between two
 * occurrences, most in a day); a schedule the planner cannot expand within its budget is quarantined, with when and
 * why, instead of stalling every other schedule's planning.
 */
export class RecurrenceLimits1795720000000 implements MigrationInterface {
  name = 'RecurrenceLimits1795720000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "communes" ADD "min_occurrence_spacing_minutes" integer NOT NULL DEFAULT '5'`);
    await queryRunner.query(`ALTER TABLE "communes" ADD "max_occurrences_per_day" integer NOT NULL DEFAULT '48'`);
    await queryRunner.query(`ALTER TABLE "communes" ADD CONSTRAINT "CHK_communes_min_spacing" CHECK ("min_occurrence_spacing_minutes" BETWEEN 1 AND 1440)`);
    await queryRunner.query(`ALTER TABLE "communes" ADD CONSTRAINT "CHK_communes_max_per_day" CHECK ("max_occurrences_per_day" BETWEEN 1 AND 1440)`);
    await queryRunner.query(`ALTER TABLE "schedules" ADD "quarantined_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "schedules" ADD "quarantine_reason" text`);
    await queryRunner.query(`ALTER TABLE "schedules" ADD CONSTRAINT "CHK_schedules_quarantine" CHECK (("quarantined_at" IS NULL) = ("quarantine_reason" IS NULL))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "schedules" DROP CONSTRAINT "CHK_schedules_quarantine"`);
    await queryRunner.query(`ALTER TABLE "schedules" DROP COLUMN "quarantine_reason"`);
    await queryRunner.query(`ALTER TABLE "schedules" DROP COLUMN "quarantined_at"`);
    await queryRunner.query(`ALTER TABLE "communes" DROP CONSTRAINT "CHK_communes_max_per_day"`);
    await queryRunner.query(`ALTER TABLE "communes" DROP CONSTRAINT "CHK_communes_min_spacing"`);
    await queryRunner.query(`ALTER TABLE "communes" DROP COLUMN "max_occurrences_per_day"`);
    await queryRunner.query(`ALTER TABLE "communes" DROP COLUMN "min_occurrence_spacing_minutes"`);
  }
}
