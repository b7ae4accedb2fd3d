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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
