import { EntityManager } from 'typeorm';
import { LOA_LOCK_NAMESPACE } from '../speakers/health/advisory-lock';
import { PendingContent } from './airtime-entry-check';
import { GENESIS_HASH } from './record-hash';

/** Advisory-lock namespace of the per-commune chain locks (Loa's namespace + 1, away from its single locks). */
export const AIRTIME_CHAIN_LOCK_NAMESPACE = LOA_LOCK_NAMESPACE + 1;

/** A pending record placed in its chain: what one row of airtime_records holds. */
export type StoredRecord = PendingContent & { seq: number; recordedAt: string; prevHash: string; hash: string };

export interface ChainHead {
  communeId: string;
  length: number;
  headHash: string;
}

type Queryable = Pick<EntityManager, 'query'>;

/**
 * Takes, for the rest of the transaction, the chain lock of each commune (in one global order, so two flushes
 * never deadlock); every process that appends takes it, so each chain has one writer at a time.
 */
export async function lockChains(db: Queryable, communeIds: string[]): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock($1, keys.key) FROM (SELECT DISTINCT hashtext(c) AS key FROM unnest($2::text[]) AS c ORDER BY 1) AS keys`, [
    AIRTIME_CHAIN_LOCK_NAMESPACE,
    communeIds,
  ]);
}

/** Length and last hash of each commune's chain (length 0 and the genesis hash for one without records). */
export async function readHeads(db: Queryable, communeIds: string[]): Promise<ChainHead[]> {
  const rows = (await db.query(
    `SELECT c.id AS commune_id, r.seq, r.hash FROM unnest($1::uuid[]) AS c(id)
     LEFT JOIN LATERAL (SELECT seq, hash FROM airtime_records WHERE commune_id = c.id ORDER BY seq DESC LIMIT 1) AS r ON true`,
    [communeIds],
  )) as Array<{ commune_id: string; seq: string | null; hash: string | null }>;
  return rows.map((row) => ({ communeId: row.commune_id, length: Number(row.seq ?? 0), headHash: row.hash ?? GENESIS_HASH }));
}

/** The records as column arrays, in the table's column order (for unnest). */
function columns(records: StoredRecord[]): unknown[] {
  const column = <K extends keyof StoredRecord>(key: K) => records.map((record) => record[key]);
  return [
    column('communeId'),
    column('seq'),
    column('recordedAt'),
    column('event'),
    column('evidenceLevel'),
    column('occurredAt'),
    column('villageId'),
    column('speakerId'),
    column('playbackId'),
    column('audioSha256'),
    column('scheduledAt'),
    column('actualAt'),
    column('onAirMs'),
    records.map((record) => (record.evidence === null ? null : record.evidenceJson)),
    column('prevHash'),
    column('hash'),
  ];
}

/** One multi-row INSERT (column arrays unnested), whatever the number of records. `table` is a trusted name. */
export async function insertRecords(db: Queryable, records: StoredRecord[], table = 'airtime_records'): Promise<void> {
  await db.query(
    `INSERT INTO ${table} (commune_id, seq, recorded_at, event, evidence_level, occurred_at, village_id, speaker_id, playback_id,
       audio_sha256, scheduled_at, actual_at, on_air_ms, evidence, prev_hash, hash)
     SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::timestamptz[], $7::uuid[], $8::uuid[],
       $9::uuid[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::integer[], $14::jsonb[], $15::text[], $16::text[])`,
    columns(records),
  );
}

/**
 * In one statement (its own transaction unless `db` is in one): takes the chains' locks, then inserts the records
 * if every commune's next position is still free, as the records assume (migration airtime-append-function).
 * Answers false, having inserted nothing, when a position was taken: another process appended since.
 */
export async function appendAfter(db: Queryable, records: StoredRecord[], nextPositions: Array<{ communeId: string; seq: number }>): Promise<boolean> {
  const [{ inserted }] = (await db.query(
    `SELECT airtime_append($1, $2::uuid[], $3::bigint[], $4::uuid[], $5::bigint[], $6::timestamptz[], $7::text[], $8::text[], $9::timestamptz[],
       $10::uuid[], $11::uuid[], $12::uuid[], $13::text[], $14::timestamptz[], $15::timestamptz[], $16::integer[], $17::jsonb[], $18::text[],
       $19::text[]) AS inserted`,
    [AIRTIME_CHAIN_LOCK_NAMESPACE, nextPositions.map((next) => next.communeId), nextPositions.map((next) => next.seq), ...columns(records)],
  )) as [{ inserted: number }];
  return inserted === records.length;
}
