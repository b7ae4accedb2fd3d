import { MigrationInterface, QueryRunner } from 'typeorm';

export class GatewayEvents1795694230030 implements MigrationInterface {
  name = 'GatewayEvents1795694230030';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "gateway_events" ("id" BIGSERIAL NOT NULL, "speaker_id" uuid NOT NULL, "playback_id" text NOT NULL, "event" text NOT NULL, "device_at" TIMESTAMP WITH TIME ZONE NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "reason" text, "nonce" text NOT NULL, CONSTRAINT "PK_f4f632813d48e74a6feb35833ad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_gateway_events_playback" ON "gateway_events" ("playback_id") `);
    await queryRunner.query(
      `ALTER TABLE "gateway_events" ADD CONSTRAINT "FK_fd051199b710a0bfcfa3177cbd6" FOREIGN KEY ("speaker_id") REFERENCES "speakers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Device evidence is kept as received: the database refuses to change or remove it.
    await queryRunner.query(`
      CREATE FUNCTION row_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "gateway_events_no_update_delete" BEFORE UPDATE OR DELETE ON "gateway_events" FOR EACH ROW EXECUTE FUNCTION row_is_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "gateway_events_no_truncate" BEFORE TRUNCATE ON "gateway_events" FOR EACH STATEMENT EXECUTE FUNCTION row_is_append_only()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "gateway_events" DROP CONSTRAINT "FK_fd051199b710a0bfcfa3177cbd6"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_gateway_events_playback"`);
    await queryRunner.query(`DROP TABLE "gateway_events"`);
    await queryRunner.query(`DROP FUNCTION row_is_append_only()`);
  }
}
