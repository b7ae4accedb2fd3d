import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Commune } from '../communes/commune.entity';
import { Topic } from '../topics/topic.entity';
import { BulletinStatus } from './bulletin-status';

const bigintAsNumber = { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

/** An audio bulletin: the upload as received, and the loudness-normalised rendition that goes on air. */
@Entity({ name: 'bulletins' })
/** One bulletin per audio per commune; the file itself is stored once whatever the commune. */
@Index('UQ_bulletins_commune_original', ['communeId', 'originalSha256'], { unique: true })
@Check('CHK_bulletins_status', `"status" IN ('queued', 'processing', 'ready', 'failed', 'approved', 'rejected', 'archived')`)
@Check('CHK_bulletins_ready_has_rendition', `"status" IN ('queued', 'processing', 'failed', 'archived') OR "rendition_sha256" IS NOT NULL`)
export class Bulletin {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  title: string;

  /** The commune whose culture office uploaded it: only that commune's people see it. */
  @Index()
  @Column({ name: 'commune_id', type: 'uuid' })
  communeId: string;

  @ManyToOne(() => Commune, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commune_id' })
  commune?: Commune;

  @Index()
  @Column({ name: 'topic_id', type: 'uuid' })
  topicId: string;

  @ManyToOne(() => Topic, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'topic_id' })
  topic?: Topic;

  @Column({ type: 'text', default: 'vi' })
  language: string;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Index()
  @Column({ type: 'text', default: BulletinStatus.Queued })
  status: BulletinStatus;

  /** Why processing failed or why the approver rejected it. */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ name: 'original_sha256', type: 'char', length: 64 })
  originalSha256: string;

  @Column({ name: 'original_filename', type: 'text' })
  originalFilename: string;

  @Column({ name: 'original_bytes', type: 'bigint', transformer: bigintAsNumber })
  originalBytes: number;

  @Column({ name: 'original_format', type: 'text' })
  originalFormat: string;

  @Column({ name: 'original_codec', type: 'text' })
  originalCodec: string;

  @Column({ name: 'original_duration_ms', type: 'integer' })
  originalDurationMs: number;

  @Column({ name: 'original_sample_rate', type: 'integer' })
  originalSampleRate: number;

  @Column({ name: 'original_channels', type: 'integer' })
  originalChannels: number;

  @Column({ name: 'original_peak_dbfs', type: 'double precision' })
  originalPeakDbfs: number;

  @Column({ name: 'input_lufs', type: 'double precision', nullable: true })
  inputLufs: number | null;

  @Column({ name: 'input_lra', type: 'double precision', nullable: true })
  inputLra: number | null;

  /** Sample peak of the mono mix before processing. */
  @Column({ name: 'input_peak_dbfs', type: 'double precision', nullable: true })
  inputPeakDbfs: number | null;

  @Column({ name: 'trim_start_ms', type: 'integer', nullable: true })
  trimStartMs: number | null;

  @Column({ name: 'trim_end_ms', type: 'integer', nullable: true })
  trimEndMs: number | null;

  @Column({ name: 'rendition_sha256', type: 'char', length: 64, nullable: true })
  renditionSha256: string | null;

  @Column({ name: 'rendition_bytes', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  renditionBytes: number | null;

  /** Duration of the rendition, i.e. airtime. */
  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs: number | null;

  @Column({ name: 'sample_rate', type: 'integer', nullable: true })
  sampleRate: number | null;

  @Column({ name: 'bitrate_kbps', type: 'integer', nullable: true })
  bitrateKbps: number | null;

  @Column({ name: 'output_lufs', type: 'double precision', nullable: true })
  outputLufs: number | null;

  @Column({ name: 'output_lra', type: 'double precision', nullable: true })
  outputLra: number | null;

  @Column({ name: 'output_true_peak_dbtp', type: 'double precision', nullable: true })
  outputTruePeakDbtp: number | null;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'uploaded_by', type: 'uuid', nullable: true })
  uploadedBy: string | null;

  /** Who approved or rejected it last. */
  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
