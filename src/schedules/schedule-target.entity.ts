import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Commune } from '../communes/commune.entity';
import { Village } from '../communes/village.entity';
import { Speaker } from '../speakers/speaker.entity';
import { Schedule } from './schedule.entity';

/** One target of a schedule, exactly one of a whole commune, a village or a single speaker. */
@Entity({ name: 'schedule_targets' })
@Check('CHK_schedule_targets_one_kind', `num_nonnulls("commune_id", "village_id", "speaker_id") = 1`)
export class ScheduleTarget {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'schedule_id', type: 'uuid' })
  scheduleId: string;

  @ManyToOne(() => Schedule, (schedule) => schedule.targets, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_id' })
  schedule?: Schedule;

  @Column({ name: 'commune_id', type: 'uuid', nullable: true })
  communeId: string | null;

  @ManyToOne(() => Commune, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commune_id' })
  commune?: Commune;

  @Index()
  @Column({ name: 'village_id', type: 'uuid', nullable: true })
  villageId: string | null;

  @ManyToOne(() => Village, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'village_id' })
  village?: Village;

  @Index()
  @Column({ name: 'speaker_id', type: 'uuid', nullable: true })
  speakerId: string | null;

  @ManyToOne(() => Speaker, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'speaker_id' })
  speaker?: Speaker;
}
