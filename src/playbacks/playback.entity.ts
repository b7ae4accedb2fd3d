import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Schedule } from '../schedules/schedule.entity';
import { Speaker } from '../speakers/speaker.entity';
import { PlaybackStatus } from './playback-status';

/** What the driver proved, bounded: the weakest level over the program and a short summary per bulletin. */
export interface PlaybackEvidenceRecord {
  level: string;
  items: Array<{
    bulletinId: string;
    level: string;
    commandedAt: string;
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
@Check(
  'CHK_playbacks_status',
  `"status" IN ('planned', 'queued', 'dispatching', 'playing', 'played', 'failed', 'missed', 'preempted', 'cancelled')`,
)
@Check('CHK_playbacks_priority', `"priority" IN ('normal', 'priority', 'emergency')`)
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
  priority: string;

  @Column({ name: 'scheduled_at', type: 'timestamptz' })
  scheduledAt: Date;

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

  /** `late`, `speaker_busy`, `schedule_cancelled`, `preempted_by_emergency`, `broadcast_stopped`, or the driver error's kind and message. */
  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ type: 'jsonb', nullable: true })
  evidence: PlaybackEvidenceRecord | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
