import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Commune } from '../communes/commune.entity';

/**
 * A theme of the communication plan that bulletins are tagged with: one commune's own, or shared by every commune
 * (`communeId` null, kept by admins). A name is unique within its commune, and among the shared topics.
 */
@Entity({ name: 'topics' })
export class Topic {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'sort_order', type: 'integer', default: 0 })
  sortOrder: number;

  /** The commune the topic belongs to; null for a topic every commune shares. */
  @Column({ name: 'commune_id', type: 'uuid', nullable: true })
  communeId: string | null;

  /** Its commune's id and name, for lists (loaded by the topics service; absent elsewhere). */
  @ManyToOne(() => Commune, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'commune_id' })
  commune?: Pick<Commune, 'id' | 'name'> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
