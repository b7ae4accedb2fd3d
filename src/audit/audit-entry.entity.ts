import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/** One attributable action: who did what to which resource, when, from where. The table refuses UPDATE and DELETE. */
@Entity({ name: 'audit_log' })
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Index()
  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Index()
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  /** The account's username, or the name a failed login claimed. */
  @Column({ name: 'actor_username', type: 'text', nullable: true })
  actorUsername: string | null;

  /** e.g. `POST /api/bulletins/:id/approve` or `auth.login`. */
  @Index()
  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'resource_type', type: 'text', nullable: true })
  resourceType: string | null;

  @Index()
  @Column({ name: 'resource_id', type: 'text', nullable: true })
  resourceId: string | null;

  @Column({ type: 'text' })
  outcome: AuditOutcome;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;
}
