import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChimeRenditions1795700223500 implements MigrationInterface {
  name = 'ChimeRenditions1795700223500';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "chime_renditions" ("recipe" text NOT NULL, "sha256" text NOT NULL, "duration_ms" integer NOT NULL, "integrated_lufs" real NOT NULL, "true_peak_dbtp" real NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_chime_renditions" PRIMARY KEY ("recipe"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "chime_renditions"`);
  }
}
