import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A commune (xã/phường): the unit that owns bulletins, schedules and reports. */
@Entity({ name: 'communes' })
export class Commune {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** The administrative code (mã đơn vị hành chính), unique when given. */
  @Column({ type: 'text', nullable: true, unique: true })
  code: string | null;

  /** IANA zone in which its schedules and reports are expressed. */
  @Column({ type: 'text', default: 'Asia/Ho_Chi_Minh' })
  timezone: string;

  /** Longest program one session may air (Thông tư 39/2020: sessions of 15–45 minutes). */
  @Column({ name: 'max_session_seconds', type: 'integer', default: 2700 })
  maxSessionSeconds: number;

  /** Least time between two occurrences of one schedule . */
  @Column({ name: 'min_occurrence_spacing_minutes', type: 'integer', default: 5 })
  minOccurrenceSpacingMinutes: number;

  /** Most occurrences of one schedule in a day; Loa's own emergency repeats are bounded by their stop instead. */
  @Column({ name: 'max_occurrences_per_day', type: 'integer', default: 48 })
  maxOccurrencesPerDay: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
