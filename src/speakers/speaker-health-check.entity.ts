import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { DriverErrorKind } from './drivers/driver-error';
import { Speaker } from './speaker.entity';
import { SpeakerStatus } from './speaker-status';

/** One health check of one speaker: the history behind its status. */
@Entity({ name: 'speaker_health_checks' })
@Index('IDX_speaker_health_checks_speaker_at', ['speakerId', 'at'])
export class SpeakerHealthCheck {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'speaker_id', type: 'uuid' })
  speakerId: string;

  @ManyToOne(() => Speaker, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'speaker_id' })
  speaker?: Speaker;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'boolean' })
  ok: boolean;

  @Column({ name: 'latency_ms', type: 'integer' })
  latencyMs: number;

  @Column({ type: 'text' })
  detail: string;

  @Column({ name: 'error_kind', type: 'text', nullable: true })
  errorKind: DriverErrorKind | null;

  /** The speaker's status after this check. */
  @Column({ type: 'text' })
  status: SpeakerStatus;
}
