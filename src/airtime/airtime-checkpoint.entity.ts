import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A signed statement that a commune's chain had `length` records ending in `head_hash` at `signed_at`. Append-only
 * like the records; exported copies kept outside the database let anyone check the chain was not rewritten since.
 */
@Entity({ name: 'airtime_checkpoints' })
@Index('IDX_airtime_checkpoints_commune', ['communeId', 'id'])
@Check('CHK_airtime_checkpoints_length', `"length" >= 0`)
export class AirtimeCheckpoint {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'PK_airtime_checkpoints' })
  id: string;

  @Column({ name: 'commune_id', type: 'uuid' })
  communeId: string;

  @Column({ type: 'bigint' })
  length: string;

  @Column({ name: 'head_hash', type: 'text' })
  headHash: string;

  @Column({ name: 'signed_at', type: 'timestamptz' })
  signedAt: Date;

  /** Which key signed it (signing-key.ts publicKeyId). */
  @Column({ name: 'key_id', type: 'text' })
  keyId: string;

  /** Ed25519 signature (base64) of checkpointStatement(). */
  @Column({ type: 'text' })
  signature: string;
}
