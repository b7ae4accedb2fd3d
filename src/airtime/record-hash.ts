import { createHash } from 'node:crypto';
import { AirtimeEvidenceLevel, AirtimeEvent } from './airtime-ledger';
import { canonicalJson } from './canonical-json';

/** The previous hash of a commune's first record. */
export const GENESIS_HASH = '0'.repeat(64);
/** Version of the canonical content below; bump it (and keep the old one for verification) if the content changes. */
export const RECORD_FORMAT = 1;

/** Everything a record states, as hashed: ids in lower case, instants as ISO 8601 UTC with milliseconds. */
export interface RecordContent {
  communeId: string;
  seq: number;
  recordedAt: string;
  event: AirtimeEvent;
  evidenceLevel: AirtimeEvidenceLevel | null;
  occurredAt: string;
  villageId: string;
  speakerId: string;
  playbackId: string;
  audioSha256: string | null;
  scheduledAt: string;
  actualAt: string | null;
  onAirMs: number | null;
  evidence: Record<string, unknown> | null;
}

/**
 * The canonical JSON of a record's content around its two parts known only when it is chained (its position and
 * the instant it is recorded): canonical = before + "recordedAt" + between + seq + after. Built once per record,
 * before the flush, so that chaining costs one concatenation and one SHA-256.
 */
export interface CanonicalParts {
  before: string;
  between: string;
  after: string;
}

const text = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));

/**
 * `{format, ...content}` as canonical JSON (keys sorted, no spaces), written out by hand in sorted key order;
 * record-hash.spec.ts holds it equal to canonicalJson. `evidenceJson` is canonicalJson(content.evidence).
 */
export function canonicalParts(content: Omit<RecordContent, 'seq' | 'recordedAt' | 'evidence'>, evidenceJson: string): CanonicalParts {
  return {
    before:
      `{"actualAt":${text(content.actualAt)},"audioSha256":${text(content.audioSha256)},"communeId":${text(content.communeId)},` +
      `"event":${text(content.event)},"evidence":${evidenceJson},"evidenceLevel":${text(content.evidenceLevel)},` +
      `"format":${RECORD_FORMAT},"occurredAt":${text(content.occurredAt)},"onAirMs":${content.onAirMs === null ? 'null' : JSON.stringify(content.onAirMs)},` +
      `"playbackId":${text(content.playbackId)},"recordedAt":`,
    between: `,"scheduledAt":${text(content.scheduledAt)},"seq":`,
    after: `,"speakerId":${text(content.speakerId)},"villageId":${text(content.villageId)}}`,
  };
}

/** SHA-256 (hex) over the previous record's hash, a newline, and the canonical JSON of the record's content. */
export function chainedHash(prevHash: string, parts: CanonicalParts, seq: number, recordedAt: string): string {
  return createHash('sha256')
    .update(`${prevHash}\n${parts.before}${JSON.stringify(recordedAt)}${parts.between}${seq}${parts.after}`)
    .digest('hex');
}

/** The canonical JSON of a whole record's content (as the verifier rebuilds it from a stored row). */
export function canonicalRecord(content: RecordContent): string {
  const parts = canonicalParts(content, canonicalJson(content.evidence));
  return `${parts.before}${JSON.stringify(content.recordedAt)}${parts.between}${content.seq}${parts.after}`;
}

export function recordHash(prevHash: string, content: RecordContent): string {
  return chainedHash(prevHash, canonicalParts(content, canonicalJson(content.evidence)), content.seq, content.recordedAt);
}
