import { MigrationInterface, QueryRunner } from 'typeorm';

const CODES_BEFORE = `'late', 'speaker_busy', 'service_down', 'worker_lost', 'schedule_cancelled', 'preempted_by_emergency', 'broadcast_stopped', 'speaker_unavailable', 'audio_unavailable', 'interrupted', 'unreachable', 'auth', 'busy', 'rejected', 'timeout', 'protocol'`;

/**
 * Approval holds until the speaker. A schedule whose program names a bulletin leadership rejected or archived is held
 * (paused, with when, why and which bulletin), and a playback the dispatcher refused to send because an item of its
 * program was no longer approved ends `failed` with the code `bulletin_withdrawn`.
 */
export class ApprovalHolds1796532648253 implements MigrationInterface {
  name = 'ApprovalHolds1796532648253';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "schedules" ADD "held_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "schedules" ADD "hold_code" text`);
    await queryRunner.query(`ALTER TABLE "schedules" ADD "held_bulletin_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "schedules" ADD CONSTRAINT "FK_schedules_held_bulletin" FOREIGN KEY ("held_bulletin_id") REFERENCES "bulletins"("id") ON DELETE SET NULL`,
    );
    await queryRunner.query(`ALTER TABLE "schedules" ADD CONSTRAINT "CHK_schedules_hold_code" CHECK ("hold_code" IN ('bulletin_rejected', 'bulletin_archived'))`);
    await queryRunner.query(`ALTER TABLE "schedules" ADD CONSTRAINT "CHK_schedules_hold" CHECK (("held_at" IS NULL) = ("hold_code" IS NULL))`);
    await queryRunner.query(`ALTER TABLE "playbacks" DROP CONSTRAINT "CHK_playbacks_failure_code"`);
    await queryRunner.query(`ALTER TABLE "playbacks" ADD CONSTRAINT "CHK_playbacks_failure_code" CHECK ("failure_code" IN (${CODES_BEFORE}, 'bulletin_withdrawn'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "playbacks" DROP CONSTRAINT "CHK_playbacks_failure_code"`);
    await queryRunner.query(`ALTER TABLE "playbacks" ADD CONSTRAINT "CHK_playbacks_failure_code" CHECK ("failure_code" IN (${CODES_BEFORE}))`);
    await queryRunner.query(`ALTER TABLE "schedules" DROP CONSTRAINT "CHK_schedules_hold"`);
    await queryRunner.query(`ALTER TABLE "schedules" DROP CONSTRAINT "CHK_schedules_hold_code"`);
    await queryRunner.query(`ALTER TABLE "schedules" DROP CONSTRAINT "FK_schedules_held_bulletin"`);
    await queryRunner.query(`ALTER TABLE "schedules" DROP COLUMN "held_bulletin_id"`);
    await queryRunner.query(`ALTER TABLE "schedules" DROP COLUMN "hold_code"`);
    await queryRunner.query(`ALTER TABLE "schedules" DROP COLUMN "held_at"`);
  }
}
