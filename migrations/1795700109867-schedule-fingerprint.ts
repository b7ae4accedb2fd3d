import { MigrationInterface, QueryRunner } from 'typeorm';

export class ScheduleFingerprint1795700109867 implements MigrationInterface {
  name = 'ScheduleFingerprint1795700109867';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Written by the service on every save; schedules written before this column have none and are not compared.
    await queryRunner.query(`ALTER TABLE "schedules" ADD "fingerprint" text`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_schedules_active_fingerprint" ON "schedules" ("commune_id", "fingerprint") WHERE "status" = 'active'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."UQ_schedules_active_fingerprint"`);
    await queryRunner.query(`ALTER TABLE "schedules" DROP COLUMN "fingerprint"`);
  }
}
