import { KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CheckpointClaim, checkpointSignedBy } from './checkpoint-signature';
import { GENESIS_HASH, RecordContent, recordHash } from './record-hash';
import { publicKeyId } from './signing-key';

/** Records read per query while walking a chain. */
const PAGE = 5000;

/** A checkpoint to verify against, from the database or from an exported file. */
export interface CheckpointToCheck extends CheckpointClaim {
  keyId: string;
  signature: string;
}

export interface BrokenRecord {
  communeId: string;
  /** Position of the first record that is not what the chain (or its signed checkpoint) says it must be. */
  seq: number;
  reason: string;
  /** What the stored record at that position claims, if there is one. */
  record: { playbackId: string; event: string; occurredAt: string } | null;
}

export interface CommuneVerification {
  communeId: string;
  ok: boolean;
  length: number;
  headHash: string;
  checkpoint: { status: 'none' } | { status: 'valid' | 'rejected'; length: number; headHash: string; signedAt: string; keyId: string; reason?: string };
  /** Records after the latest valid checkpoint: chained, but not yet covered by a signature. */
  unsignedRecords: number;
  firstBroken: BrokenRecord | null;
}

export interface VerificationReport {
  ok: boolean;
  verifiedAt: string;
  keyId: string;
  communes: CommuneVerification[];
}

interface RecordRow {
  commune_id: string;
  seq: string;
  recorded_at: Date;
  event: RecordContent['event'];
  evidence_level: RecordContent['evidenceLevel'];
  occurred_at: Date;
  village_id: string;
  speaker_id: string;
  playback_id: string;
  audio_sha256: string | null;
  scheduled_at: Date;
  actual_at: Date | null;
  on_air_ms: number | null;
  evidence: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
}

function contentOf(row: RecordRow): RecordContent {
  return {
    communeId: row.commune_id,
    seq: Number(row.seq),
    recordedAt: row.recorded_at.toISOString(),
    event: row.event,
    evidenceLevel: row.evidence_level,
    occurredAt: row.occurred_at.toISOString(),
    villageId: row.village_id,
    speakerId: row.speaker_id,
    playbackId: row.playback_id,
    audioSha256: row.audio_sha256,
    scheduledAt: row.scheduled_at.toISOString(),
    actualAt: row.actual_at?.toISOString() ?? null,
    onAirMs: row.on_air_ms,
    evidence: row.evidence,
  };
}

const claimed = (row: RecordRow) => ({ playbackId: row.playback_id, event: row.event, occurredAt: row.occurred_at.toISOString() });

/**
 * Recomputes every commune's chain from its first record and compares it with the latest signed checkpoint: each
 * record must sit at the next position, link to the previous record's hash and hash to what it stores, and the
 * chain must still hold the checkpoint's length and head. Names the first record where any of that fails.
 */
export class ChainVerifier {
  private readonly keyId: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publicKey: KeyObject,
  ) {
    this.keyId = publicKeyId(publicKey);
  }

  /**
   * `communeIds` null: every commune known to the database. `checkpoints`: the ones to check against (e.g. an
   * exported file kept elsewhere); by default the latest stored checkpoint of each commune.
   */
  async verify(communeIds: string[] | null, checkpoints?: Map<string, CheckpointToCheck>): Promise<VerificationReport> {
    const communes = communeIds ?? (await this.allCommunes());
    const latest = checkpoints ?? (await this.latestCheckpoints(communes));
    const results: CommuneVerification[] = [];
    for (const communeId of communes) results.push(await this.verifyCommune(communeId, latest.get(communeId) ?? null));
    return { ok: results.every((result) => result.ok), verifiedAt: new Date().toISOString(), keyId: this.keyId, communes: results };
  }

  private async allCommunes(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      'SELECT id::text AS id FROM communes UNION SELECT DISTINCT commune_id::text FROM airtime_checkpoints ORDER BY 1',
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  private async latestCheckpoints(communeIds: string[]): Promise<Map<string, CheckpointToCheck>> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ON (commune_id) commune_id, length, head_hash, signed_at, key_id, signature FROM airtime_checkpoints
       WHERE commune_id = ANY($1::uuid[]) ORDER BY commune_id, id DESC`,
      [communeIds],
    )) as Array<{ commune_id: string; length: string; head_hash: string; signed_at: Date; key_id: string; signature: string }>;
    return new Map(
      rows.map((row) => [
        row.commune_id,
        {
          communeId: row.commune_id,
          length: Number(row.length),
          headHash: row.head_hash,
          signedAt: row.signed_at.toISOString(),
          keyId: row.key_id,
          signature: row.signature,
        },
      ]),
    );
  }

  private checkpointStatus(checkpoint: CheckpointToCheck | null): CommuneVerification['checkpoint'] {
    if (!checkpoint) return { status: 'none' };
    const { length, headHash, signedAt, keyId } = checkpoint;
    if (keyId !== this.keyId || !checkpointSignedBy(this.publicKey, checkpoint, checkpoint.signature)) {
      const reason = keyId !== this.keyId ? `signed by key ${keyId}, not by this service's key ${this.keyId}` : 'its signature does not match its content';
      return { status: 'rejected', length, headHash, signedAt, keyId, reason };
    }
    return { status: 'valid', length, headHash, signedAt, keyId };
  }

  private async verifyCommune(communeId: string, checkpoint: CheckpointToCheck | null): Promise<CommuneVerification> {
    const status = this.checkpointStatus(checkpoint);
    const signed = status.status === 'valid' ? status : null;
    let length = 0;
    let headHash = GENESIS_HASH;
    let hashAtCheckpoint: { hash: string; row: RecordRow } | null = null;
    let firstBroken: BrokenRecord | null = null;
    for (let after = 0; !firstBroken;) {
      const rows = (await this.dataSource.query(`SELECT * FROM airtime_records WHERE commune_id = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`, [
        communeId,
        after,
      ])) as RecordRow[];
      for (const row of rows) {
        const seq = Number(row.seq);
        const expected = length + 1;
        const broken = (at: number, reason: string, record: RecordRow | null): BrokenRecord => ({ communeId, seq: at, reason, record: record && claimed(record) });
        if (seq !== expected) firstBroken = broken(expected, `record ${expected} is missing (the next one stored is ${seq})`, null);
        else if (row.prev_hash !== headHash) firstBroken = broken(seq, `record ${seq} does not link to record ${seq - 1} (its previous hash differs)`, row);
        else if (recordHash(row.prev_hash, contentOf(row)) !== row.hash)
          firstBroken = broken(seq, `record ${seq} was altered (its content no longer gives its hash)`, row);
        if (firstBroken) break;
        length = seq;
        headHash = row.hash;
        if (signed && seq === signed.length) hashAtCheckpoint = { hash: row.hash, row };
      }
      if (rows.length < PAGE) break;
      after = length;
    }
    if (!firstBroken && signed) {
      if (length < signed.length) {
        firstBroken = {
          communeId,
          seq: length + 1,
          reason: `record ${length + 1} is missing: the checkpoint signed at ${signed.signedAt} counts ${signed.length} records, the chain holds ${length}`,
          record: null,
        };
      } else if (signed.length > 0 && hashAtCheckpoint?.hash !== signed.headHash) {
        firstBroken = {
          communeId,
          seq: signed.length,
          reason: `the chain was rewritten: record ${signed.length} is not the head signed at ${signed.signedAt}`,
          record: hashAtCheckpoint && claimed(hashAtCheckpoint.row),
        };
      }
    }
    return {
      communeId,
      ok: !firstBroken && status.status !== 'rejected',
      length,
      headHash,
      checkpoint: status,
      unsignedRecords: signed ? Math.max(0, length - signed.length) : length,
      firstBroken,
    };
  }
}
