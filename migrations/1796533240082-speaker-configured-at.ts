import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a speaker's configuration last changed (registered, edited, enabled, disabled, moved): the planner's minute
 * tick re-plans the communes whose speakers changed since its last run. `updated_at` cannot tell it: every health
 * check writes the speaker's status.
 */
export class SpeakerConfiguredAt1796533240082 implements MigrationInterface {
  name = 'SpeakerConfiguredAt1796533240082';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "speakers" ADD "configured_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await queryRunner.query(`UPDATE "speakers" SET "configured_at" = "created_at"`);
    await queryRunner.query(`CREATE INDEX "IDX_speakers_configured_at" ON "speakers" ("configured_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_speakers_configured_at"`);
    await queryRunner.query(`ALTER TABLE "speakers" DROP COLUMN "configured_at"`);
  }
}
