import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Bulletin } from '../bulletins/bulletin.entity';
import { Commune } from '../communes/commune.entity';
import { SCHEDULE_HOLD_CODES, ScheduleHoldCode } from './schedule-hold';
import { ScheduleBulletin } from './schedule-bulletin.entity';
import { SchedulePriority } from './schedule-priority';
import { ScheduleStatus } from './schedule-status';
import { ScheduleTarget } from './schedule-target.entity';

/**
 * A schedule: an ordered program of approved bulletins, aired on its targets once (`startsAt`) or by an
 * RFC 5545 rule in local time (`rrule` + `timezone`). Targets are kept as chosen (commune, village, speaker)
 * and resolved to speakers when planning, so a speaker added to a village later is included.
 */
@Entity({ name: 'schedules' })
@Index('IDX_schedules_commune_status', ['communeId', 'status'])
@Index('UQ_schedules_active_fingerprint', ['communeId', 'fingerprint'], { unique: true, where: `"status" = 'active'` })
@Check('CHK_schedules_status', `"status" IN ('active', 'paused', 'cancelled')`)
@Check('CHK_schedules_priority', `"priority" IN ('normal', 'priority', 'emergency')`)
@Check('CHK_schedules_one_timing', `("starts_at" IS NULL) <> ("rrule" IS NULL)`)
@Check('CHK_schedules_validity', `"valid_from" IS NULL OR "valid_until" IS NULL OR "valid_from" <= "valid_until"`)
@Check('CHK_schedules_grace', `"misfire_grace_seconds" >= 0`)
@Check('CHK_schedules_quarantine', `("quarantined_at" IS NULL) = ("quarantine_reason" IS NULL)`)
@Check('CHK_schedules_hold_code', `"hold_code" IN (${SCHEDULE_HOLD_CODES.map((code) => `'${code}'`).join(', ')})`)
@Check('CHK_schedules_hold', `("held_at" IS NULL) = ("hold_code" IS NULL)`)
export class Schedule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'commune_id', type: 'uuid' })
  communeId: string;

  @ManyToOne(() => Commune, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commune_id' })
  commune?: Commune;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', default: ScheduleStatus.Active })
  status: ScheduleStatus;

  /** A one-off's instant; null for a recurring schedule. */
  @Column({ name: 'starts_at', type: 'timestamptz', nullable: true })
  startsAt: Date | null;

  /** `DTSTART:<local wall time>\nRRULE:…`, expanded in `timezone`; null for a one-off. */
  @Column({ type: 'text', nullable: true })
  rrule: string | null;

  @Column({ type: 'text' })
  timezone: string;

  @Column({ type: 'text', default: SchedulePriority.Normal })
  priority: SchedulePriority;

  /** How late an occurrence may still start before it is recorded as missed. */
  @Column({ name: 'misfire_grace_seconds', type: 'integer', default: 600 })
  misfireGraceSeconds: number;

  /** Play the pre-announcement chime before the first bulletin. */
  @Column({ type: 'boolean', default: false })
  chime: boolean;

  @Column({ name: 'valid_from', type: 'timestamptz', nullable: true })
  validFrom: Date | null;

  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  /** Chime plus bulletins, as checked against the commune's session cap when last written. */
  @Column({ name: 'program_ms', type: 'integer' })
  programMs: number;

  /**
   * SHA-256 of the content (schedule-fingerprint.ts): unique among a commune's active schedules, so the same
   * schedule submitted twice is refused even when both requests race. Null for rows written before it existed.
   */
  @Column({ type: 'text', nullable: true })
  fingerprint: string | null;

  /** Raised on every change of program, timing, targets or status, so a planner can tell its plan is stale. */
  @Column({ type: 'integer', default: 1 })
  revision: number;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  /**
   * The program's current version: an edit of the bulletins adds one, and the older versions stay, because playbacks
   * name the version they aired (reports show what actually went on air).
   */
  @Column({ name: 'program_version', type: 'integer', default: 1 })
  programVersion: number;

  /**
   * Set by the planner when the rule could not be expanded (refused, or past its budget): the schedule is not planned
   * and nothing of it waits, until an edit of its timing lifts the quarantine.
   */
  @Column({ name: 'quarantined_at', type: 'timestamptz', nullable: true })
  quarantinedAt: Date | null;

  @Column({ name: 'quarantine_reason', type: 'text', nullable: true })
  quarantineReason: string | null;

  /**
   * Set with status `paused` when a bulletin of the program in force was rejected or archived (schedule-holds.ts):
   * nothing of it waits or airs, and it stays held until an editor resumes it with every bulletin approved.
   */
  @Column({ name: 'held_at', type: 'timestamptz', nullable: true })
  heldAt: Date | null;

  @Column({ name: 'hold_code', type: 'text', nullable: true })
  holdCode: ScheduleHoldCode | null;

  @Column({ name: 'held_bulletin_id', type: 'uuid', nullable: true })
  heldBulletinId: string | null;

  @ManyToOne(() => Bulletin, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'held_bulletin_id', foreignKeyConstraintName: 'FK_schedules_held_bulletin' })
  heldBulletin?: Bulletin | null;

  /** Every version of the program; `currentBulletinIds` (schedule-view.ts) picks the one in force. */
  @OneToMany(() => ScheduleBulletin, (item) => item.schedule, { cascade: true })
  bulletins?: ScheduleBulletin[];

  @OneToMany(() => ScheduleTarget, (target) => target.schedule, { cascade: true })
  targets?: ScheduleTarget[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
