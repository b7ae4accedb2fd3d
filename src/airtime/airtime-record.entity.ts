import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { AirtimeEvent, AirtimeEvidenceLevel } from './airtime-ledger';

/**
 * One line of a commune's broadcast log, append-only (the database refuses UPDATE, DELETE and TRUNCATE) and chained:
 * `hash` covers the record's content and `prev_hash`, the hash of the commune's record `seq - 1`. Written only by
 * the ledger (group-commit-ledger.ts); read here.
 */
@Entity({ name: 'airtime_records' })
@Index('IDX_airtime_records_playback', ['playbackId'])
@Index('IDX_airtime_records_village_occurred_at', ['villageId', 'occurredAt'])
@Check('CHK_airtime_records_seq', `"seq" >= 1`)
@Check(
  'CHK_airtime_records_event',
  `"event" IN ('commanded', 'acknowledged', 'started', 'finished', 'failed', 'missed', 'preempted', 'operator_confirmed', 'operator_problem')`,
)
@Check('CHK_airtime_records_evidence_level', `"evidence_level" IN ('commanded', 'acknowledged', 'device_reported', 'operator_confirmed')`)
export class AirtimeRecord {
  @PrimaryColumn({ name: 'commune_id', type: 'uuid', primaryKeyConstraintName: 'PK_airtime_records' })
  communeId: string;

  /** Position in the commune's chain, from 1, without gaps. */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_airtime_records' })
  seq: string;

  /** When the ledger committed it. */
  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  @Column({ type: 'text' })
  event: AirtimeEvent;

  @Column({ name: 'evidence_level', type: 'text', nullable: true })
  evidenceLevel: AirtimeEvidenceLevel | null;

  /** When it happened. */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'village_id', type: 'uuid' })
  villageId: string;

  @Column({ name: 'speaker_id', type: 'uuid' })
  speakerId: string;

  @Column({ name: 'playback_id', type: 'uuid' })
  playbackId: string;

  @Column({ name: 'audio_sha256', type: 'text', nullable: true })
  audioSha256: string | null;

  @Column({ name: 'scheduled_at', type: 'timestamptz' })
  scheduledAt: Date;

  @Column({ name: 'actual_at', type: 'timestamptz', nullable: true })
  actualAt: Date | null;

  @Column({ name: 'on_air_ms', type: 'integer', nullable: true })
  onAirMs: number | null;

  @Column({ type: 'jsonb', nullable: true })
  evidence: Record<string, unknown> | null;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  @Column({ type: 'text' })
  hash: string;
}
