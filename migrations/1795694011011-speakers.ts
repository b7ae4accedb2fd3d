import { MigrationInterface, QueryRunner } from 'typeorm';

export class Speakers1795694011011 implements MigrationInterface {
  name = 'Speakers1795694011011';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "speakers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "village_id" uuid NOT NULL, "name" text NOT NULL, "driver" text NOT NULL, "settings" jsonb NOT NULL DEFAULT '{}', "secrets_sealed" text, "latitude" double precision, "longitude" double precision, "tags" text array NOT NULL DEFAULT '{}', "enabled" boolean NOT NULL DEFAULT true, "status" text NOT NULL DEFAULT 'unknown', "status_detail" text, "status_changed_at" TIMESTAMP WITH TIME ZONE, "last_seen_at" TIMESTAMP WITH TIME ZONE, "last_checked_at" TIMESTAMP WITH TIME ZONE, "consecutive_failures" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_speakers_village_name" UNIQUE ("village_id", "name"), CONSTRAINT "CHK_speakers_status" CHECK ("status" IN ('unknown', 'online', 'degraded', 'offline')), CONSTRAINT "CHK_speakers_driver" CHECK ("driver" IN ('axis-vapix', 'http-gateway', 'manual')), CONSTRAINT "PK_b3818c94af77a0cf73403ecef14" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_9c6f6ad6a310751fed58600ac8" ON "speakers" ("village_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_16493201070f4a61f792383fbc" ON "speakers" ("status") `);
    await queryRunner.query(
      `CREATE TABLE "speaker_health_checks" ("id" BIGSERIAL NOT NULL, "speaker_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ok" boolean NOT NULL, "latency_ms" integer NOT NULL, "detail" text NOT NULL, "error_kind" text, "status" text NOT NULL, CONSTRAINT "PK_8cea26011208356a272cdbb98ef" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_speaker_health_checks_speaker_at" ON "speaker_health_checks" ("speaker_id", "at") `);
    await queryRunner.query(
      `ALTER TABLE "speakers" ADD CONSTRAINT "FK_9c6f6ad6a310751fed58600ac8e" FOREIGN KEY ("village_id") REFERENCES "villages"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "speaker_health_checks" ADD CONSTRAINT "FK_b95b5351ebb5252a768d89926d4" FOREIGN KEY ("speaker_id") REFERENCES "speakers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "speaker_health_checks" DROP CONSTRAINT "FK_b95b5351ebb5252a768d89926d4"`);
    await queryRunner.query(`ALTER TABLE "speakers" DROP CONSTRAINT "FK_9c6f6ad6a310751fed58600ac8e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_speaker_health_checks_speaker_at"`);
    await queryRunner.query(`DROP TABLE "speaker_health_checks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_16493201070f4a61f792383fbc"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9c6f6ad6a310751fed58600ac8"`);
    await queryRunner.query(`DROP TABLE "speakers"`);
  }
}
