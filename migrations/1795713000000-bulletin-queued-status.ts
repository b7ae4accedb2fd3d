import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A bulletin waits as `queued` until a worker has a free render slot (AUDIO_WORKER_CONCURRENCY), then becomes
 * `processing`: the library shows "đang chờ xử lý" instead of a render that seems stuck. Bulletins already
 * processing keep their status; their jobs are queued again at start as before.
 */
export class BulletinQueuedStatus1795713000000 implements MigrationInterface {
  name = 'BulletinQueuedStatus1795713000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "bulletins" DROP CONSTRAINT "CHK_bulletins_status"`);
    await queryRunner.query(`ALTER TABLE "bulletins" DROP CONSTRAINT "CHK_bulletins_ready_has_rendition"`);
    await queryRunner.query(
      `ALTER TABLE "bulletins" ADD CONSTRAINT "CHK_bulletins_status" CHECK ("status" IN ('queued', 'processing', 'ready', 'failed', 'approved', 'rejected', 'archived'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "bulletins" ADD CONSTRAINT "CHK_bulletins_ready_has_rendition" CHECK ("status" IN ('queued', 'processing', 'failed', 'archived') OR "rendition_sha256" IS NOT NULL)`,
    );
    await queryRunner.query(`ALTER TABLE "bulletins" ALTER COLUMN "status" SET DEFAULT 'queued'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE "bulletins" SET "status" = 'processing' WHERE "status" = 'queued'`);
    await queryRunner.query(`ALTER TABLE "bulletins" ALTER COLUMN "status" SET DEFAULT 'processing'`);
    await queryRunner.query(`ALTER TABLE "bulletins" DROP CONSTRAINT "CHK_bulletins_ready_has_rendition"`);
    await queryRunner.query(`ALTER TABLE "bulletins" DROP CONSTRAINT "CHK_bulletins_status"`);
    await queryRunner.query(
      `ALTER TABLE "bulletins" ADD CONSTRAINT "CHK_bulletins_status" CHECK ("status" IN ('processing', 'ready', 'failed', 'approved', 'rejected', 'archived'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "bulletins" ADD CONSTRAINT "CHK_bulletins_ready_has_rendition" CHECK ("status" IN ('processing', 'failed', 'archived') OR "rendition_sha256" IS NOT NULL)`,
    );
  }
}
