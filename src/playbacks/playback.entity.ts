import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { SchedulePriority } from '../schedules/schedule-priority';
import { Schedule } from '../schedules/schedule.entity';
import { Speaker } from '../speakers/speaker.entity';
import { AirtimeEvidenceLevel } from '../airtime/airtime-ledger';
import { PlaybackStatus } from './playback-status';
import { OperatorProblemKind } from './operator-problem-kind';
import { PLAYBACK_FAILURE_CODES, PlaybackFailureCode } from './playback-failure';

/** What the driver proved, bounded: the weakest level over the program and a short summary per bulletin. */
export interface PlaybackEvidenceRecord {
  level: string;
  items: Array<{
    bulletinId: string;
    level: string;
    commandedAt: string;
    /** Where the item starts in the one stream its driver sent (axis-vapix). */
    offsetMs?: number;
    acknowledgedAt?: string;
    finishedAt?: string;
    device: Record<string, string | number | boolean | null>;
    note?: string;
  }>;
}

/** One speaker × one occurrence of a schedule: planned, queued, dispatched through the speaker's driver. */
@Entity({ name: 'playbacks' })
@Unique('UQ_playbacks_schedule_speaker_instant', ['scheduleId', 'speakerId', 'scheduledAt'])
@Index('IDX_playbacks_status_scheduled_at', ['status', 'scheduledAt'])
@Index('IDX_playbacks_village_scheduled_at', ['villageId', 'scheduledAt'])
@Index('IDX_playbacks_commune_scheduled_at', ['communeId', 'scheduledAt'])
@Index('IDX_playbacks_updated_at', ['updatedAt'])
@Index('IDX_playbacks_problem_reported_at', ['problemReportedAt'], { where: '"problem_reported_at" IS NOT NULL' })
@Check('CHK_playbacks_status', `"status" IN ('planned', 'queued', 'dispatching', 'playing', 'played', 'failed', 'missed', 'preempted', 'cancelled')`)
@Check('CHK_playbacks_priority', `"priority" IN ('normal', 'priority', 'emergency')`)
@Check('CHK_playbacks_evidence_level', `"evidence_level" IN ('commanded', 'acknowledged', 'device_reported', 'operator_confirmed')`)
@Check('CHK_playbacks_failure_code', `"failure_code" IN (${PLAYBACK_FAILURE_CODES.map((code) => `'${code}'`).join(', ')})`)
@Check('CHK_playbacks_problem_kind', `"problem_kind" IN ('speaker_broken', 'power_cut', 'no_signal', 'not_heard', 'other')`)
export class Playback {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'schedule_id', type: 'uuid' })
  scheduleId: string;

  @ManyToOne(() => Schedule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_id' })
  schedule?: Schedule;

  @Column({ name: 'speaker_id', type: 'uuid' })
  speakerId: string;

  @ManyToOne(() => Speaker, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'speaker_id' })
  speaker?: Speaker;

  /** The speaker's village and commune when planned, so scope and reports need no join. */
  @Column({ name: 'village_id', type: 'uuid' })
  villageId: string;

  @Column({ name: 'commune_id', type: 'uuid' })
  communeId: string;

  @Column({ type: 'text' })
  priority: SchedulePriority;

  @Column({ name: 'scheduled_at', type: 'timestamptz' })
  scheduledAt: Date;

  /** The version of its schedule's program it aired, or will air: it follows edits until the playback is dispatched. */
  @Column({ name: 'program_version', type: 'integer', default: 1 })
  programVersion: number;

  /** The last instant it may still start; later it is `missed`. */
  @Column({ name: 'grace_until', type: 'timestamptz' })
  graceUntil: Date;

  @Column({ type: 'text', default: PlaybackStatus.Planned })
  status: PlaybackStatus;

  /** Driver call instant minus scheduled instant, of the latest attempt. */
  @Column({ name: 'lateness_ms', type: 'integer', nullable: true })
  latenessMs: number | null;

  /** Attempts committed before calling the driver. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** Why it ended other than played: one of PLAYBACK_FAILURE_CODES (a reason of Loa's, or a driver error's kind). */
  @Column({ name: 'failure_code', type: 'text', nullable: true })
  failureCode: PlaybackFailureCode | null;

  /** The human detail of the failure apart from its code: the device's message, how many attempts were made. */
  @Column({ name: 'failure_detail', type: 'text', nullable: true })
  failureDetail: string | null;

  @Column({ type: 'jsonb', nullable: true })
  evidence: PlaybackEvidenceRecord | null;

  /** The strongest proof recorded so far (`operator_confirmed` once the village operator confirmed). */
  @Column({ name: 'evidence_level', type: 'text', nullable: true })
  evidenceLevel: AirtimeEvidenceLevel | null;

  /** The village operator's confirmation that it was heard: when, by whom, and what they wrote. */
  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'confirmed_by', type: 'uuid', nullable: true })
  confirmedBy: string | null;

  @Column({ name: 'confirmation_note', type: 'text', nullable: true })
  confirmationNote: string | null;

  /** A problem the village operator reported (speaker broken, power cut, …), when and by whom. */
  @Column({ name: 'problem_kind', type: 'text', nullable: true })
  problemKind: OperatorProblemKind | null;

  @Column({ name: 'problem_note', type: 'text', nullable: true })
  problemNote: string | null;

  @Column({ name: 'problem_reported_at', type: 'timestamptz', nullable: true })
  problemReportedAt: Date | null;

  @Column({ name: 'problem_reported_by', type: 'uuid', nullable: true })
  problemReportedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
