import { MigrationInterface, QueryRunner } from 'typeorm';

export class AirtimeRecords1795700315640 implements MigrationInterface {
  name = 'AirtimeRecords1795700315640';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // No foreign keys on purpose: the broadcast log must outlive (and never block) the speakers, villages and
    // playbacks it names, and an append-only table cannot follow a cascade anyway.
    await queryRunner.query(
      `CREATE TABLE "airtime_records" ("commune_id" uuid NOT NULL, "seq" bigint NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "event" text NOT NULL, "evidence_level" text, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "village_id" uuid NOT NULL, "speaker_id" uuid NOT NULL, "playback_id" uuid NOT NULL, "audio_sha256" text, "scheduled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actual_at" TIMESTAMP WITH TIME ZONE, "on_air_ms" integer, "evidence" jsonb, "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "PK_airtime_records" PRIMARY KEY ("commune_id", "seq"), CONSTRAINT "CHK_airtime_records_seq" CHECK ("seq" >= 1), CONSTRAINT "CHK_airtime_records_event" CHECK ("event" IN ('commanded', 'acknowledged', 'started', 'finished', 'failed', 'missed', 'preempted', 'operator_confirmed', 'operator_problem')), CONSTRAINT "CHK_airtime_records_evidence_level" CHECK ("evidence_level" IN ('commanded', 'acknowledged', 'device_reported', 'operator_confirmed')))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_airtime_records_playback" ON "airtime_records" ("playback_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_airtime_records_village_occurred_at" ON "airtime_records" ("village_id", "occurred_at") `);
    await queryRunner.query(
      `CREATE TRIGGER "airtime_records_no_update_delete" BEFORE UPDATE OR DELETE ON "airtime_records" FOR EACH ROW EXECUTE FUNCTION row_is_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "airtime_records_no_truncate" BEFORE TRUNCATE ON "airtime_records" FOR EACH STATEMENT EXECUTE FUNCTION row_is_append_only()`,
    );

    await queryRunner.query(
      `CREATE TABLE "airtime_checkpoints" ("id" BIGSERIAL NOT NULL, "commune_id" uuid NOT NULL, "length" bigint NOT NULL, "head_hash" text NOT NULL, "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "key_id" text NOT NULL, "signature" text NOT NULL, CONSTRAINT "PK_airtime_checkpoints" PRIMARY KEY ("id"), CONSTRAINT "CHK_airtime_checkpoints_length" CHECK ("length" >= 0))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_airtime_checkpoints_commune" ON "airtime_checkpoints" ("commune_id", "id") `);
    await queryRunner.query(
      `CREATE TRIGGER "airtime_checkpoints_no_update_delete" BEFORE UPDATE OR DELETE ON "airtime_checkpoints" FOR EACH ROW EXECUTE FUNCTION row_is_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "airtime_checkpoints_no_truncate" BEFORE TRUNCATE ON "airtime_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION row_is_append_only()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "airtime_checkpoints"`);
    await queryRunner.query(`DROP TABLE "airtime_records"`);
  }
}
