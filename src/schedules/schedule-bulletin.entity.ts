import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Bulletin } from '../bulletins/bulletin.entity';
import { Schedule } from './schedule.entity';

/**
 * One bulletin at its place (0 first) in one version of a schedule's program. The same bulletin may appear twice.
 * Versions are never rewritten: an edit of the program writes the next version.
 */
@Entity({ name: 'schedule_bulletins' })
export class ScheduleBulletin {
  @PrimaryColumn({ name: 'schedule_id', type: 'uuid', primaryKeyConstraintName: 'PK_schedule_bulletins' })
  scheduleId: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'PK_schedule_bulletins' })
  version: number;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'PK_schedule_bulletins' })
  position: number;

  @ManyToOne(() => Schedule, (schedule) => schedule.bulletins, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_id' })
  schedule?: Schedule;

  @Index()
  @Column({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @ManyToOne(() => Bulletin, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'bulletin_id' })
  bulletin?: Bulletin;
}
