import { EntityManager } from 'typeorm';
import { checkedContent } from './airtime-entry-check';
import { AirtimeEntry } from './airtime-ledger';
import { ChainHead, insertRecords, lockChains, readHeads, StoredRecord } from './airtime-record-store';
import { chainedHash } from './record-hash';

/**
 * Appends inside the caller's transaction, so that the records and the caller's own writes commit together or not
 * at all (an operator's confirmation and the playback it marks). Takes the communes' chain locks until that
 * transaction ends; keep it short. Bypasses the group commit: for rare, single facts, not for bulk.
 */
export async function appendInTransaction(db: EntityManager, entries: AirtimeEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const contents = entries.map(checkedContent);
  const communeIds = [...new Set(contents.map((content) => content.communeId))];
  await lockChains(db, communeIds);
  await insertRecords(db, chainRecords(contents, await readHeads(db, communeIds)).records);
}

/** The records, in order, each placed after its commune's head and hashed onto it; and the heads they leave. */
export function chainRecords(contents: ReturnType<typeof checkedContent>[], from: ChainHead[]): { records: StoredRecord[]; heads: ChainHead[] } {
  const heads = new Map(from.map((head) => [head.communeId, head]));
  const recordedAt = new Date().toISOString();
  const records = contents.map((content): StoredRecord => {
    const head = heads.get(content.communeId)!;
    const seq = head.length + 1;
    const hash = chainedHash(head.headHash, content.canonical, seq, recordedAt);
    heads.set(content.communeId, { communeId: content.communeId, length: seq, headHash: hash });
    // Placed in the pending content itself, which only the ledger holds (and places again if it chains it again):
    // at group-commit rates, a copy of every record is garbage the collector has to chase.
    const record = content as StoredRecord;
    record.seq = seq;
    record.recordedAt = recordedAt;
    record.prevHash = head.headHash;
    record.hash = hash;
    return record;
  });
  return { records, heads: [...heads.values()] };
}
