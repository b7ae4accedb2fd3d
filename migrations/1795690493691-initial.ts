import { MigrationInterface, QueryRunner } from 'typeorm';

/** Themes of the commune's 2026 communication plan; every installation starts with them. */
const PLAN_TOPICS = [
  'Nghị quyết 57-NQ/TW',
  'Bình dân học vụ số',
  'Đề án 06 và định danh điện tử',
  'Dịch vụ công trực tuyến',
  'Thanh toán không dùng tiền mặt',
  'Chuyển đổi số trong doanh nghiệp, hợp tác xã, hộ kinh doanh',
  'Chợ số, Nông thôn số',
  'Ngày Chuyển đổi số quốc gia 10/10',
  'Phòng chống thiên tai',
  'Thông báo của UBND xã',
  'Khác',
];

export class Initial1795690493691 implements MigrationInterface {
  name = 'Initial1795690493691';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Accent-insensitive title search ("thong bao" finds "Thông báo").
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await queryRunner.query(
      `CREATE TABLE "topics" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "description" text, "active" boolean NOT NULL DEFAULT true, "sort_order" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_1304b1c61016e63f60cd147ce6b" UNIQUE ("name"), CONSTRAINT "PK_e4aa99a3fa60ec3a37d1fc4e853" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "bulletins" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" text NOT NULL, "topic_id" uuid NOT NULL, "language" text NOT NULL DEFAULT 'vi', "notes" text, "status" text NOT NULL DEFAULT 'processing', "status_reason" text, "original_sha256" character(64) NOT NULL, "original_filename" text NOT NULL, "original_bytes" bigint NOT NULL, "original_format" text NOT NULL, "original_codec" text NOT NULL, "original_duration_ms" integer NOT NULL, "original_sample_rate" integer NOT NULL, "original_channels" integer NOT NULL, "original_peak_dbfs" double precision NOT NULL, "input_lufs" double precision, "input_lra" double precision, "input_peak_dbfs" double precision, "trim_start_ms" integer, "trim_end_ms" integer, "rendition_sha256" character(64), "rendition_bytes" bigint, "duration_ms" integer, "sample_rate" integer, "bitrate_kbps" integer, "output_lufs" double precision, "output_lra" double precision, "output_true_peak_dbtp" double precision, "processed_at" TIMESTAMP WITH TIME ZONE, "approved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2a8a95dd56d5a3507074c35954e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_86cbd61e3e7e977028290617f2" ON "bulletins" ("topic_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_cc4085c9499feaf0a29331a6f8" ON "bulletins" ("status") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_cb77b0858d3dc77fbae5f0c5e7" ON "bulletins" ("original_sha256") `);
    await queryRunner.query(
      `ALTER TABLE "bulletins" ADD CONSTRAINT "FK_86cbd61e3e7e977028290617f26" FOREIGN KEY ("topic_id") REFERENCES "topics"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bulletins" ADD CONSTRAINT "CHK_bulletins_status" CHECK ("status" IN ('processing', 'ready', 'failed', 'approved', 'rejected', 'archived'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "bulletins" ADD CONSTRAINT "CHK_bulletins_ready_has_rendition" CHECK ("status" IN ('processing', 'failed', 'archived') OR "rendition_sha256" IS NOT NULL)`,
    );
    for (const [index, name] of PLAN_TOPICS.entries()) {
      await queryRunner.query(`INSERT INTO "topics" ("name", "sort_order") VALUES ($1, $2)`, [name, (index + 1) * 10]);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "bulletins" DROP CONSTRAINT "CHK_bulletins_ready_has_rendition"`);
    await queryRunner.query(`ALTER TABLE "bulletins" DROP CONSTRAINT "CHK_bulletins_status"`);
    await queryRunner.query(`ALTER TABLE "bulletins" DROP CONSTRAINT "FK_86cbd61e3e7e977028290617f26"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cb77b0858d3dc77fbae5f0c5e7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cc4085c9499feaf0a29331a6f8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_86cbd61e3e7e977028290617f2"`);
    await queryRunner.query(`DROP TABLE "bulletins"`);
    await queryRunner.query(`DROP TABLE "topics"`);
  }
}
