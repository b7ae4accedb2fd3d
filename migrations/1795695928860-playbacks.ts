import { MigrationInterface, QueryRunner } from 'typeorm';

export class Playbacks1795695928860 implements MigrationInterface {
  name = 'Playbacks1795695928860';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "playbacks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "schedule_id" uuid NOT NULL, "speaker_id" uuid NOT NULL, "village_id" uuid NOT NULL, "commune_id" uuid NOT NULL, "priority" text NOT NULL, "scheduled_at" TIMESTAMP WITH TIME ZONE NOT NULL, "grace_until" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL DEFAULT 'planned', "lateness_ms" integer, "attempts" integer NOT NULL DEFAULT '0', "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "failure_reason" text, "evidence" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_playbacks_schedule_speaker_instant" UNIQUE ("schedule_id", "speaker_id", "scheduled_at"), CONSTRAINT "CHK_playbacks_priority" CHECK ("priority" IN ('normal', 'priority', 'emergency')), CONSTRAINT "CHK_playbacks_status" CHECK ("status" IN ('planned', 'queued', 'dispatching', 'playing', 'played', 'failed', 'missed', 'preempted', 'cancelled')), CONSTRAINT "PK_4ee2142ad248450e0502e774304" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_playbacks_village_scheduled_at" ON "playbacks" ("village_id", "scheduled_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_playbacks_status_scheduled_at" ON "playbacks" ("status", "scheduled_at") `);
    await queryRunner.query(
      `ALTER TABLE "playbacks" ADD CONSTRAINT "FK_f4a979902a021c42fa1e5c5f2e7" FOREIGN KEY ("schedule_id") REFERENCES "schedules"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "playbacks" ADD CONSTRAINT "FK_dbced05e27fb35e286d0bb05e20" FOREIGN KEY ("speaker_id") REFERENCES "speakers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "playbacks" DROP CONSTRAINT "FK_dbced05e27fb35e286d0bb05e20"`);
    await queryRunner.query(`ALTER TABLE "playbacks" DROP CONSTRAINT "FK_f4a979902a021c42fa1e5c5f2e7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_playbacks_status_scheduled_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_playbacks_village_scheduled_at"`);
    await queryRunner.query(`DROP TABLE "playbacks"`);
  }
}
