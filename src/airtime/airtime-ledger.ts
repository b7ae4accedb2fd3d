/** How far the proof of one playback got, weakest first. */
export const EVIDENCE_LEVELS = ['commanded', 'acknowledged', 'device_reported', 'operator_confirmed'] as const;
export type AirtimeEvidenceLevel = (typeof EVIDENCE_LEVELS)[number];

/** What happened to a playback, as the broadcast log states it. */
export const AIRTIME_EVENTS = [
  'commanded',
  'acknowledged',
  'started',
  'finished',
  'failed',
  'missed',
  'preempted',
  'operator_confirmed',
  'operator_problem',
] as const;
export type AirtimeEvent = (typeof AIRTIME_EVENTS)[number];

/** One fact to append to a commune's broadcast log. */
export interface AirtimeEntry {
  communeId: string;
  villageId: string;
  speakerId: string;
  playbackId: string;
  event: AirtimeEvent;
  /** When it happened. */
  occurredAt: Date;
  /** SHA-256 of the exact audio sent, when audio was sent. */
  audioSha256: string | null;
  scheduledAt: Date;
  /** When it actually went (or was commanded to go) on air. */
  actualAt: Date | null;
  onAirMs: number | null;
  evidenceLevel: AirtimeEvidenceLevel | null;
  /** Bounded and JSON-safe: the device's answer, a gateway event, a reason, an operator's note. */
  evidence: Record<string, unknown> | null;
}

/** Head of one commune's chain. */
export interface AirtimeChainHead {
  communeId: string;
  length: number;
  headHash: string;
}

/**
 * The append-only, hash-chained broadcast log. `append` resolves once the entries are committed, each commune's
 * chain staying single and gap-free under concurrency.
 */
export abstract class AirtimeLedger {
  abstract append(entries: AirtimeEntry[]): Promise<void>;
  abstract heads(communeIds: string[]): Promise<AirtimeChainHead[]>;
}
