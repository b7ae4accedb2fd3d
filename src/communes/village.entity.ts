import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Commune } from './commune.entity';

/** A village (thôn/tổ dân phố) of a commune: where speakers hang and operators confirm broadcasts. */
@Entity({ name: 'villages' })
@Unique('UQ_villages_commune_name', ['communeId', 'name'])
export class Village {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'commune_id', type: 'uuid' })
  communeId: string;

  @ManyToOne(() => Commune, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commune_id' })
  commune?: Commune;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  code: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
