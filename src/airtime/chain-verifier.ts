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
  /** The latest checkpoint. */
  checkpoint: { status: 'none' } | CheckpointStatus;
  /** Every checkpoint was checked against the chain: how many, and how many of them were rejected. */
  checkpoints: { checked: number; rejected: number };
  /** Records after the longest valid checkpoint: chained, but not yet covered by a signature. */
  unsignedRecords: number;
  /** When the first of them was recorded (null when there are none). */
  unsignedSince: string | null;
  firstBroken: BrokenRecord | null;
  /** Why the commune is not ok, in one sentence; null when it is. */
  problem: string | null;
}

type CheckpointStatus = { status: 'valid' | 'rejected'; length: number; headHash: string; signedAt: string; keyId: string; reason?: string };

export interface VerificationReport {
  ok: boolean;
  verifiedAt: string;
  keyId: string;
  communes: CommuneVerification[];
}

/** A stored record as PostgreSQL answers it (`SELECT * FROM airtime_records`). */
export interface RecordRow {
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

/** The hashed content of a stored record: what its hash is computed over. */
export function contentOf(row: RecordRow): RecordContent {
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

/** A minute's grace past the interval for the signing round itself, so a round still running is not taken for none. */
const ROUND_GRACE_MS = 60_000;

/**
 * Recomputes every commune's chain from its first record and compares it with every signed checkpoint: each record
 * must sit at the next position, link to the previous record's hash and hash to what it stores, and the chain must
 * still hold each checkpoint's length and head. Names the first record where any of that fails. With a checkpoint
 * interval, records that no checkpoint has covered for longer than it (and a grace) also fail: signing stopped.
 */
export class ChainVerifier {
  private readonly keyId: string;
  private readonly maxUnsignedAgeMs: number | null;

  /** `checkpointIntervalMinutes`: AIRTIME_CHECKPOINT_INTERVAL_MINUTES; 0 (on demand only) checks no record's age. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly publicKey: KeyObject,
    checkpointIntervalMinutes = 0,
  ) {
    this.keyId = publicKeyId(publicKey);
    this.maxUnsignedAgeMs = checkpointIntervalMinutes > 0 ? checkpointIntervalMinutes * 60_000 + ROUND_GRACE_MS : null;
  }

  /**
   * `communeIds` null: every commune known to the database. `extra`: checkpoints to check besides the stored ones,
   * oldest first (e.g. an exported file kept elsewhere, which still holds those an insider deleted).
   */
  async verify(communeIds: string[] | null, extra?: Map<string, CheckpointToCheck[]>): Promise<VerificationReport> {
    const communes = communeIds ?? (await this.allCommunes());
    const results: CommuneVerification[] = [];
    for (const communeId of communes) {
      const checkpoints = uniqueCheckpoints([...(extra?.get(communeId) ?? []), ...(await this.storedCheckpoints(communeId))]);
      results.push(await this.verifyCommune(communeId, checkpoints));
    }
    return { ok: results.every((result) => result.ok), verifiedAt: new Date().toISOString(), keyId: this.keyId, communes: results };
  }

  private async allCommunes(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      'SELECT id::text AS id FROM communes UNION SELECT DISTINCT commune_id::text FROM airtime_checkpoints ORDER BY 1',
    )) as Array<{ id: string }>;
    return rows.map((row) => row.id);
  }

  /** Every checkpoint stored for the commune, oldest first. */
  private async storedCheckpoints(communeId: string): Promise<CheckpointToCheck[]> {
    const rows = (await this.dataSource.query(`SELECT length, head_hash, signed_at, key_id, signature FROM airtime_checkpoints WHERE commune_id = $1 ORDER BY id`, [
      communeId,
    ])) as Array<{ length: string; head_hash: string; signed_at: Date; key_id: string; signature: string }>;
    return rows.map((row) => ({
      communeId,
      length: Number(row.length),
      headHash: row.head_hash,
      signedAt: row.signed_at.toISOString(),
      keyId: row.key_id,
      signature: row.signature,
    }));
  }

  private checkpointStatus(checkpoint: CheckpointToCheck): CheckpointStatus {
    const { length, headHash, signedAt, keyId } = checkpoint;
    if (keyId !== this.keyId || !checkpointSignedBy(this.publicKey, checkpoint, checkpoint.signature)) {
      const reason = keyId !== this.keyId ? `signed by key ${keyId}, not by this service's key ${this.keyId}` : 'its signature does not match its content';
      return { status: 'rejected', length, headHash, signedAt, keyId, reason };
    }
    return { status: 'valid', length, headHash, signedAt, keyId };
  }

  private async verifyCommune(communeId: string, checkpoints: CheckpointToCheck[]): Promise<CommuneVerification> {
    const statuses = checkpoints.map((checkpoint) => this.checkpointStatus(checkpoint));
    const rejected = statuses.filter((status) => status.status === 'rejected');
    const valid = statuses.filter((status) => status.status === 'valid' && status.length > 0);
    const signedAt = new Map<number, CheckpointStatus[]>();
    for (const status of valid) signedAt.set(status.length, [...(signedAt.get(status.length) ?? []), status]);
    const longest = valid.reduce((max, status) => Math.max(max, status.length), 0);

    let length = 0;
    let headHash = GENESIS_HASH;
    let unsignedSince: string | null = null;
    let firstBroken: BrokenRecord | null = null;
    const broken = (at: number, reason: string, record: RecordRow | null): BrokenRecord => ({ communeId, seq: at, reason, record: record && claimed(record) });
    for (let after = 0; !firstBroken;) {
      const rows = (await this.dataSource.query(`SELECT * FROM airtime_records WHERE commune_id = $1 AND seq > $2 ORDER BY seq LIMIT ${PAGE}`, [
        communeId,
        after,
      ])) as RecordRow[];
      for (const row of rows) {
        const seq = Number(row.seq);
        const expected = length + 1;
        const unlike = signedAt.get(seq)?.find((checkpoint) => checkpoint.headHash !== row.hash);
        if (seq !== expected) firstBroken = broken(expected, `record ${expected} is missing (the next one stored is ${seq})`, null);
        else if (row.prev_hash !== headHash) firstBroken = broken(seq, `record ${seq} does not link to record ${seq - 1} (its previous hash differs)`, row);
        else if (recordHash(row.prev_hash, contentOf(row)) !== row.hash)
          firstBroken = broken(seq, `record ${seq} was altered (its content no longer gives its hash)`, row);
        else if (unlike) firstBroken = broken(seq, `the chain was rewritten: record ${seq} is not the head signed at ${unlike.signedAt}`, row);
        if (firstBroken) break;
        length = seq;
        headHash = row.hash;
        if (seq === longest + 1) unsignedSince = row.recorded_at.toISOString();
      }
      if (rows.length < PAGE) break;
      after = length;
    }
    if (!firstBroken && length < longest) {
      const counted = valid.filter((status) => status.length === longest).pop()!;
      firstBroken = broken(
        length + 1,
        `record ${length + 1} is missing: the checkpoint signed at ${counted.signedAt} counts ${counted.length} records, the chain holds ${length}`,
        null,
      );
    }
    const unsignedRecords = Math.max(0, length - longest);
    const stale = this.stale(unsignedSince);
    const latest = statuses[statuses.length - 1];
    return {
      communeId,
      ok: !firstBroken && rejected.length === 0 && !stale,
      length,
      headHash,
      checkpoint: latest ?? { status: 'none' },
      checkpoints: { checked: statuses.length, rejected: rejected.length },
      unsignedRecords,
      unsignedSince: unsignedRecords > 0 ? unsignedSince : null,
      firstBroken,
      problem:
        firstBroken?.reason ??
        (rejected[0] ? `the checkpoint signed at ${rejected[0].signedAt} was rejected: ${rejected[0].reason}` : null) ??
        (stale ? this.unsignedProblem(unsignedRecords, longest, unsignedSince!) : null),
    };
  }

  /** Whether a record recorded at `since` has waited for a checkpoint longer than the interval promises. */
  private stale(since: string | null): boolean {
    return since !== null && this.maxUnsignedAgeMs !== null && Date.now() - Date.parse(since) > this.maxUnsignedAgeMs;
  }

  private unsignedProblem(unsigned: number, longest: number, since: string): string {
    const covered = longest === 0 ? 'no checkpoint covers any of them' : `no checkpoint covers them after record ${longest}`;
    return `${unsigned} records since ${since} are unsigned (${covered}), longer than the checkpoint interval allows: signing stopped, or was refused`;
  }
}

/** The same signed statement twice (a file and the database both hold it) is checked once. */
function uniqueCheckpoints(checkpoints: CheckpointToCheck[]): CheckpointToCheck[] {
  const seen = new Set<string>();
  return checkpoints.filter((checkpoint) => {
    const key = `${checkpoint.signedAt}|${checkpoint.length}|${checkpoint.signature}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
