import { MigrationInterface, QueryRunner } from 'typeorm';

export class Schedules1795695036952 implements MigrationInterface {
  name = 'Schedules1795695036952';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "schedule_bulletins" ("schedule_id" uuid NOT NULL, "position" integer NOT NULL, "bulletin_id" uuid NOT NULL, CONSTRAINT "PK_7da20368f5af411b40b7aa875de" PRIMARY KEY ("schedule_id", "position"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_5891ac3d482e5a806a6d975a69" ON "schedule_bulletins" ("bulletin_id") `);
    await queryRunner.query(
      `CREATE TABLE "schedule_targets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "schedule_id" uuid NOT NULL, "commune_id" uuid, "village_id" uuid, "speaker_id" uuid, CONSTRAINT "CHK_schedule_targets_one_kind" CHECK (num_nonnulls("commune_id", "village_id", "speaker_id") = 1), CONSTRAINT "PK_724de75add12edd1402dd421e83" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_c81d727a1079c2fb78d3fa524d" ON "schedule_targets" ("schedule_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_831b8e1157ab5e80c453831401" ON "schedule_targets" ("village_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_d93f89548c2d356657b9fa3ee8" ON "schedule_targets" ("speaker_id") `);
    await queryRunner.query(
      `CREATE TABLE "schedules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "commune_id" uuid NOT NULL, "title" text NOT NULL, "status" text NOT NULL DEFAULT 'active', "starts_at" TIMESTAMP WITH TIME ZONE, "rrule" text, "timezone" text NOT NULL, "priority" text NOT NULL DEFAULT 'normal', "misfire_grace_seconds" integer NOT NULL DEFAULT '600', "chime" boolean NOT NULL DEFAULT false, "valid_from" TIMESTAMP WITH TIME ZONE, "valid_until" TIMESTAMP WITH TIME ZONE, "program_ms" integer NOT NULL, "revision" integer NOT NULL DEFAULT '1', "created_by" uuid, "updated_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_schedules_grace" CHECK ("misfire_grace_seconds" >= 0), CONSTRAINT "CHK_schedules_validity" CHECK ("valid_from" IS NULL OR "valid_until" IS NULL OR "valid_from" <= "valid_until"), CONSTRAINT "CHK_schedules_one_timing" CHECK (("starts_at" IS NULL) <> ("rrule" IS NULL)), CONSTRAINT "CHK_schedules_priority" CHECK ("priority" IN ('normal', 'priority', 'emergency')), CONSTRAINT "CHK_schedules_status" CHECK ("status" IN ('active', 'paused', 'cancelled')), CONSTRAINT "PK_7e33fc2ea755a5765e3564e66dd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_schedules_commune_status" ON "schedules" ("commune_id", "status") `);
    await queryRunner.query(`ALTER TABLE "communes" ADD "max_session_seconds" integer NOT NULL DEFAULT '2700'`);
    await queryRunner.query(
      `ALTER TABLE "schedule_bulletins" ADD CONSTRAINT "FK_18049300f87e026c150b17900f8" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "schedule_bulletins" ADD CONSTRAINT "FK_5891ac3d482e5a806a6d975a690" FOREIGN KEY ("bulletin_id") REFERENCES "bulletins"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "schedule_targets" ADD CONSTRAINT "FK_c81d727a1079c2fb78d3fa524d4" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "schedule_targets" ADD CONSTRAINT "FK_2380f9de5056cdfa10860954d69" FOREIGN KEY ("commune_id") REFERENCES "communes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "schedule_targets" ADD CONSTRAINT "FK_831b8e1157ab5e80c4538314012" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "schedule_targets" ADD CONSTRAINT "FK_d93f89548c2d356657b9fa3ee8f" FOREIGN KEY ("speaker_id") REFERENCES "speakers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "schedules" ADD CONSTRAINT "FK_3ad5189f4d43f89899e2d9015ee" FOREIGN KEY ("commune_id") REFERENCES "communes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "schedules" DROP CONSTRAINT "FK_3ad5189f4d43f89899e2d9015ee"`);
    await queryRunner.query(`ALTER TABLE "schedule_targets" DROP CONSTRAINT "FK_d93f89548c2d356657b9fa3ee8f"`);
    await queryRunner.query(`ALTER TABLE "schedule_targets" DROP CONSTRAINT "FK_831b8e1157ab5e80c4538314012"`);
    await queryRunner.query(`ALTER TABLE "schedule_targets" DROP CONSTRAINT "FK_2380f9de5056cdfa10860954d69"`);
    await queryRunner.query(`ALTER TABLE "schedule_targets" DROP CONSTRAINT "FK_c81d727a1079c2fb78d3fa524d4"`);
    await queryRunner.query(`ALTER TABLE "schedule_bulletins" DROP CONSTRAINT "FK_5891ac3d482e5a806a6d975a690"`);
    await queryRunner.query(`ALTER TABLE "schedule_bulletins" DROP CONSTRAINT "FK_18049300f87e026c150b17900f8"`);
    await queryRunner.query(`ALTER TABLE "communes" DROP COLUMN "max_session_seconds"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_schedules_commune_status"`);
    await queryRunner.query(`DROP TABLE "schedules"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d93f89548c2d356657b9fa3ee8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_831b8e1157ab5e80c453831401"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c81d727a1079c2fb78d3fa524d"`);
    await queryRunner.query(`DROP TABLE "schedule_targets"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5891ac3d482e5a806a6d975a69"`);
    await queryRunner.query(`DROP TABLE "schedule_bulletins"`);
  }
}
