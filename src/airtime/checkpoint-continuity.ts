import { EntityManager } from 'typeorm';
import { AirtimeChainHead } from './airtime-ledger';
import { checkpointSignedBy } from './checkpoint-signature';
import { AirtimeSigningKey } from './signing-key';

/** Why a commune's head may not be signed: it does not extend the commune's last checkpoint. */
export interface CheckpointRefusal {
  communeId: string;
  reason: string;
}

interface LastCheckpoint {
  commune_id: string;
  length: string;
  head_hash: string;
  signed_at: Date;
  signature: string;
  /** The hash the chain holds today at the checkpoint's length (null: the chain is shorter). */
  hash_now: string | null;
}

/**
 * Checkpoints only move forward: a head may be signed only if the chain still holds, at the length of the commune's
 * last checkpoint by this key, the very record that checkpoint signed. Otherwise records were deleted or rewritten
 * since, and signing the head would make the cut look intact. Answers a refusal per commune that fails.
 */
export async function headsThatDoNotExtend(db: Pick<EntityManager, 'query'>, key: AirtimeSigningKey, heads: AirtimeChainHead[]): Promise<CheckpointRefusal[]> {
  if (heads.length === 0) return [];
  const rows = (await db.query(
    `SELECT c.commune_id, c.length, c.head_hash, c.signed_at, c.signature, r.hash AS hash_now
     FROM (SELECT DISTINCT ON (commune_id) * FROM airtime_checkpoints WHERE commune_id = ANY($1::uuid[]) AND key_id = $2 ORDER BY commune_id, id DESC) AS c
     LEFT JOIN airtime_records AS r ON r.commune_id = c.commune_id AND r.seq = c.length`,
    [heads.map((head) => head.communeId), key.keyId],
  )) as LastCheckpoint[];
  const lengths = new Map(heads.map((head) => [head.communeId, head.length]));
  const refusals: CheckpointRefusal[] = [];
  for (const last of rows) {
    const reason = whyNotExtending(last, lengths.get(last.commune_id) ?? 0, key);
    if (reason) refusals.push({ communeId: last.commune_id, reason: `commune ${last.commune_id}: ${reason}` });
  }
  return refusals;
}

function whyNotExtending(last: LastCheckpoint, headLength: number, key: AirtimeSigningKey): string | null {
  const signedAt = last.signed_at.toISOString();
  const length = Number(last.length);
  const claim = { communeId: last.commune_id, length, headHash: last.head_hash, signedAt };
  if (!checkpointSignedBy(key.publicKey, claim, last.signature))
    return `its last checkpoint (signed at ${signedAt}) no longer matches its signature: it was changed`;
  if (headLength < length) return `the chain holds ${headLength} records, but the checkpoint signed at ${signedAt} counts ${length}: records were deleted`;
  if (length > 0 && last.hash_now !== last.head_hash) return `record ${length} is not the head signed at ${signedAt}: the chain was rewritten`;
  return null;
}
