import { AIRTIME_EVENTS, AirtimeEntry, EVIDENCE_LEVELS } from './airtime-ledger';
import { boundedEvidence } from './bounded-evidence';
import { canonicalJson } from './canonical-json';
import { CanonicalParts, canonicalParts, RecordContent } from './record-hash';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const MAX_ON_AIR_MS = 2 ** 31 - 1;

/** A caller's bug (not a database failure): the entry cannot become a record as given. */
export class InvalidAirtimeEntryError extends Error {}

/**
 * A record's content before its place in the chain (seq, recorded instant) is known, with its evidence as canonical
 * JSON (stored as given: jsonb accepts it) and the canonical text around the parts still to come.
 */
export type PendingContent = Omit<RecordContent, 'seq' | 'recordedAt'> & { evidenceJson: string; canonical: CanonicalParts };

function uuid(name: string, value: string): string {
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  if (!UUID.test(text)) throw new InvalidAirtimeEntryError(`${name} must be a UUID, got ${String(value)}`);
  return text;
}

function instant(name: string, value: Date): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new InvalidAirtimeEntryError(`${name} must be a valid Date`);
  return value.toISOString();
}

/**
 * Checks an entry and puts it in the form that is stored and hashed. Checked before queueing, so one bad entry
 * fails only its own `append` and never a group commit shared with other callers.
 */
export function checkedContent(entry: AirtimeEntry): PendingContent {
  if (!AIRTIME_EVENTS.includes(entry.event)) throw new InvalidAirtimeEntryError(`event must be one of ${AIRTIME_EVENTS.join(', ')}`);
  if (entry.evidenceLevel !== null && !EVIDENCE_LEVELS.includes(entry.evidenceLevel)) {
    throw new InvalidAirtimeEntryError(`evidenceLevel must be null or one of ${EVIDENCE_LEVELS.join(', ')}`);
  }
  const audio = entry.audioSha256 === null ? null : String(entry.audioSha256).toLowerCase();
  if (audio !== null && !SHA256.test(audio)) throw new InvalidAirtimeEntryError('audioSha256 must be 64 hexadecimal digits or null');
  if (entry.onAirMs !== null && !(Number.isInteger(entry.onAirMs) && entry.onAirMs >= 0 && entry.onAirMs <= MAX_ON_AIR_MS)) {
    throw new InvalidAirtimeEntryError('onAirMs must be null or a whole number of milliseconds (0 to 24 days)');
  }
  const evidence = boundedEvidence(entry.evidence);
  const evidenceJson = canonicalJson(evidence);
  const content: PendingContent = {
    communeId: uuid('communeId', entry.communeId),
    event: entry.event,
    evidenceLevel: entry.evidenceLevel,
    occurredAt: instant('occurredAt', entry.occurredAt),
    villageId: uuid('villageId', entry.villageId),
    speakerId: uuid('speakerId', entry.speakerId),
    playbackId: uuid('playbackId', entry.playbackId),
    audioSha256: audio,
    scheduledAt: instant('scheduledAt', entry.scheduledAt),
    actualAt: entry.actualAt === null ? null : instant('actualAt', entry.actualAt),
    onAirMs: entry.onAirMs,
    evidence,
    evidenceJson,
    canonical: NOT_YET,
  };
  content.canonical = canonicalParts(content, evidenceJson);
  return content;
}

const NOT_YET = { before: '', between: '', after: '' };
