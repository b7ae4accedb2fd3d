import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { GatewayEventName } from '../speakers/drivers/gateway-event';
import { Speaker } from '../speakers/speaker.entity';

/** A verified event a gateway posted about one playback: evidence that it started, finished or failed. */
@Entity({ name: 'gateway_events' })
@Index('IDX_gateway_events_playback', ['playbackId'])
export class GatewayEventRecord {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ name: 'speaker_id', type: 'uuid' })
  speakerId: string;

  @ManyToOne(() => Speaker, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'speaker_id' })
  speaker?: Speaker;

  @Column({ name: 'playback_id', type: 'text' })
  playbackId: string;

  @Column({ type: 'text' })
  event: GatewayEventName;

  /** When the gateway says it happened. */
  @Column({ name: 'device_at', type: 'timestamptz' })
  deviceAt: Date;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt: Date;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text' })
  nonce: string;
}
