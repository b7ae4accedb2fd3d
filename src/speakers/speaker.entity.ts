import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Village } from '../communes/village.entity';
import type { DriverName } from './drivers/speaker-driver';
import { SpeakerStatus } from './speaker-status';

/** A loudspeaker cluster of a village, driven through one driver. Its secrets are stored encrypted. */
@Entity({ name: 'speakers' })
@Unique('UQ_speakers_village_name', ['villageId', 'name'])
@Check('CHK_speakers_driver', `"driver" IN ('axis-vapix', 'http-gateway', 'manual')`)
@Check('CHK_speakers_status', `"status" IN ('unknown', 'online', 'degraded', 'offline')`)
export class Speaker {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'village_id', type: 'uuid' })
  villageId: string;

  @ManyToOne(() => Village, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'village_id' })
  village?: Village;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  driver: DriverName;

  /** Validated per driver (e.g. `{url}` for Axis); holds nothing secret. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings: Record<string, unknown>;

  /** SecretBox-sealed JSON (device password, gateway key); never returned by the API. */
  @Column({ name: 'secrets_sealed', type: 'text', nullable: true })
  secretsSealed: string | null;

  @Column({ type: 'double precision', nullable: true })
  latitude: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude: number | null;

  /** Zones such as "ven biển" (coastal), used to target broadcasts. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Index()
  @Column({ type: 'text', default: SpeakerStatus.Unknown })
  status: SpeakerStatus;

  @Column({ name: 'status_detail', type: 'text', nullable: true })
  statusDetail: string | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt: Date | null;

  /** The last time the speaker answered a check. */
  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt: Date | null;

  @Column({ name: 'last_checked_at', type: 'timestamptz', nullable: true })
  lastCheckedAt: Date | null;

  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures: number;

  /** When its configuration last changed (not its status): the planner re-plans the communes whose speakers changed. */
  @Index('IDX_speakers_configured_at')
  @Column({ name: 'configured_at', type: 'timestamptz', default: () => 'now()' })
  configuredAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
