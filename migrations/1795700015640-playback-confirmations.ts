import { MigrationInterface, QueryRunner } from 'typeorm';

export class PlaybackConfirmations1795700015640 implements MigrationInterface {
  name = 'PlaybackConfirmations1795700015640';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "evidence_level" text`);
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "confirmed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "confirmed_by" uuid`);
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "confirmation_note" text`);
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "problem_kind" text`);
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "problem_note" text`);
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "problem_reported_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "playbacks" ADD "problem_reported_by" uuid`);
    await queryRunner.query(
      `ALTER TABLE "playbacks" ADD CONSTRAINT "CHK_playbacks_evidence_level" CHECK ("evidence_level" IN ('commanded', 'acknowledged', 'device_reported', 'operator_confirmed'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "playbacks" ADD CONSTRAINT "CHK_playbacks_problem_kind" CHECK ("problem_kind" IN ('speaker_broken', 'power_cut', 'no_signal', 'not_heard', 'other'))`,
    );
    // Editors and approvers watch open problems as they come in.
    await queryRunner.query(`CREATE INDEX "IDX_playbacks_problem_reported_at" ON "playbacks" ("problem_reported_at") WHERE "problem_reported_at" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_playbacks_problem_reported_at"`);
    await queryRunner.query(`ALTER TABLE "playbacks" DROP CONSTRAINT "CHK_playbacks_problem_kind"`);
    await queryRunner.query(`ALTER TABLE "playbacks" DROP CONSTRAINT "CHK_playbacks_evidence_level"`);
    for (const column of [
      'problem_reported_by',
      'problem_reported_at',
      'problem_note',
      'problem_kind',
      'confirmation_note',
      'confirmed_by',
      'confirmed_at',
      'evidence_level',
    ]) {
      await queryRunner.query(`ALTER TABLE "playbacks" DROP COLUMN "${column}"`);
    }
  }
}
