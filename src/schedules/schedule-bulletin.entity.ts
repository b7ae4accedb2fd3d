import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Bulletin } from '../bulletins/bulletin.entity';
import { Schedule } from './schedule.entity';

/** One bulletin at its place in a schedule's program (0 first). The same bulletin may appear twice. */
@Entity({ name: 'schedule_bulletins' })
export class ScheduleBulletin {
  @PrimaryColumn({ name: 'schedule_id', type: 'uuid' })
  scheduleId: string;

  @PrimaryColumn({ type: 'integer' })
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
