import { MigrationInterface, QueryRunner } from 'typeorm';

export class Accounts1795692060972 implements MigrationInterface {
  name = 'Accounts1795692060972';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_cb77b0858d3dc77fbae5f0c5e7"`);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" text NOT NULL, "display_name" text NOT NULL, "role" text NOT NULL, "password_hash" text NOT NULL, "token_version" integer NOT NULL DEFAULT '1', "disabled" boolean NOT NULL DEFAULT false, "commune_ids" uuid array NOT NULL DEFAULT '{}', "village_ids" uuid array NOT NULL DEFAULT '{}', "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_fe0bb3f6520ee0469504521e710" UNIQUE ("username"), CONSTRAINT "CHK_users_role" CHECK ("role" IN ('admin', 'editor', 'approver', 'operator', 'viewer')), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "communes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "code" text, "timezone" text NOT NULL DEFAULT 'Asia/Ho_Chi_Minh', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_b3f497044892b8d98c492f4900e" UNIQUE ("code"), CONSTRAINT "PK_53a9285bb669dd2298c4de525bb" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "villages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "commune_id" uuid NOT NULL, "name" text NOT NULL, "code" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_villages_commune_name" UNIQUE ("commune_id", "name"), CONSTRAINT "PK_3d9cf7c71c05c7ef684331317bd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_77d30fe5d52b8341cd9b19eee8" ON "villages" ("commune_id") `);
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_id" uuid, "actor_username" text, "action" text NOT NULL, "resource_type" text, "resource_id" text, "outcome" text NOT NULL, "status_code" integer, "ip" text, "user_agent" text, "details" jsonb, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ba27cef5b8b2b1a756e06ebcc5" ON "audit_log" ("at") `);
    await queryRunner.query(`CREATE INDEX "IDX_15a6f5aad57db494c17986ed2e" ON "audit_log" ("actor_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_951e6339a77994dfbad976b35c" ON "audit_log" ("action") `);
    await queryRunner.query(`CREATE INDEX "IDX_e3c452190cb976544c9d25a553" ON "audit_log" ("resource_id") `);
    await queryRunner.query(`ALTER TABLE "bulletins" ADD "commune_id" uuid NOT NULL`);
    await queryRunner.query(`ALTER TABLE "bulletins" ADD "uploaded_by" uuid`);
    await queryRunner.query(`ALTER TABLE "bulletins" ADD "reviewed_by" uuid`);
    await queryRunner.query(`CREATE INDEX "IDX_d27434b954be9680a29d1e8c72" ON "bulletins" ("commune_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_bulletins_commune_original" ON "bulletins" ("commune_id", "original_sha256") `);
    await queryRunner.query(
      `ALTER TABLE "villages" ADD CONSTRAINT "FK_77d30fe5d52b8341cd9b19eee84" FOREIGN KEY ("commune_id") REFERENCES "communes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bulletins" ADD CONSTRAINT "FK_d27434b954be9680a29d1e8c72c" FOREIGN KEY ("commune_id") REFERENCES "communes"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // The audit log is append-only: the database itself refuses to change or remove what was recorded.
    await queryRunner.query(`
      CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only()`,
    );
    await queryRunner.query(`CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "bulletins" DROP CONSTRAINT "FK_d27434b954be9680a29d1e8c72c"`);
    await queryRunner.query(`ALTER TABLE "villages" DROP CONSTRAINT "FK_77d30fe5d52b8341cd9b19eee84"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_bulletins_commune_original"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d27434b954be9680a29d1e8c72"`);
    await queryRunner.query(`ALTER TABLE "bulletins" DROP COLUMN "reviewed_by"`);
    await queryRunner.query(`ALTER TABLE "bulletins" DROP COLUMN "uploaded_by"`);
    await queryRunner.query(`ALTER TABLE "bulletins" DROP COLUMN "commune_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e3c452190cb976544c9d25a553"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_951e6339a77994dfbad976b35c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_15a6f5aad57db494c17986ed2e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ba27cef5b8b2b1a756e06ebcc5"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP FUNCTION audit_log_is_append_only()`);
    await queryRunner.query(`DROP INDEX "public"."IDX_77d30fe5d52b8341cd9b19eee8"`);
    await queryRunner.query(`DROP TABLE "villages"`);
    await queryRunner.query(`DROP TABLE "communes"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_cb77b0858d3dc77fbae5f0c5e7" ON "bulletins" ("original_sha256") `);
  }
}
