import { MigrationInterface, QueryRunner } from 'typeorm';

/** The live feed asks every second or two which playbacks changed: an index keeps that cheap at a province's scale. */
export class PlaybacksUpdatedAtIndex1795700102632 implements MigrationInterface {
  name = 'PlaybacksUpdatedAtIndex1795700102632';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_playbacks_updated_at" ON "playbacks" ("updated_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_playbacks_updated_at"`);
  }
}
