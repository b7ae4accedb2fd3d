import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AirtimeEntry, AirtimeEvent, AirtimeEvidenceLevel, AirtimeLedger } from '../../airtime/airtime-ledger';
import { PlaybackEvidenceRecord } from '../playback.entity';

/** The playback an entry is about. */
export interface AirtimeSubject {
  id: string;
  communeId: string;
  villageId: string;
  speakerId: string;
  scheduledAt: Date;
}

export interface AirtimeFact {
  event: AirtimeEvent;
  occurredAt: Date;
  audioSha256?: string | null;
  actualAt?: Date | null;
  onAirMs?: number | null;
  evidenceLevel?: AirtimeEvidenceLevel | null;
  evidence?: Record<string, unknown> | null;
}

/** Entries collected within this long are appended in one call. */
const BATCH_MS = 50;
/**
 * Waits between tries of an append (0.5 s doubling, about a minute in all, as for the playbacks' own writes): a
 * PostgreSQL restart must not lose the proof of what a speaker did.
 */
const APPEND_RETRIES_MS = [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000];

/**
 * Appends dispatch outcomes to the broadcast log (the airtime ledger), batched and never on the critical path: the
 * drivers are called first, the entries follow. A failed append is retried for about a minute, then logged loudly.
 */
@Injectable()
export class AirtimeRecorder {
  private readonly logger = new Logger(AirtimeRecorder.name);
  private pending: AirtimeEntry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly ledger: AirtimeLedger) {}

  record(subject: AirtimeSubject, fact: AirtimeFact): void {
    this.pending.push({
      communeId: subject.communeId,
      villageId: subject.villageId,
      speakerId: subject.speakerId,
      playbackId: subject.id,
      scheduledAt: subject.scheduledAt,
      event: fact.event,
      occurredAt: fact.occurredAt,
      audioSha256: fact.audioSha256 ?? null,
      actualAt: fact.actualAt ?? null,
      onAirMs: fact.onAirMs ?? null,
      evidenceLevel: fact.evidenceLevel ?? null,
      evidence: fact.evidence ?? null,
    });
    this.timer ??= setTimeout(() => void this.flush(), BATCH_MS);
  }

  /** The entries a driver's evidence proves once the attempt ended: acknowledged and/or finished. */
  recordEvidence(subject: AirtimeSubject, evidence: PlaybackEvidenceRecord, actualAt: Date | null): void {
    const acknowledged = evidence.items.find((item) => item.acknowledgedAt);
    if (acknowledged) {
      this.record(subject, {
        event: 'acknowledged',
        occurredAt: new Date(acknowledged.acknowledgedAt!),
        actualAt,
        evidenceLevel: 'acknowledged',
        evidence: { device: acknowledged.device },
      });
    }
    const finished = evidence.items.length > 0 && evidence.items.every((item) => item.finishedAt);
    if (finished) {
      const endedAt = new Date(evidence.items[evidence.items.length - 1].finishedAt!);
      this.record(subject, {
        event: 'finished',
        occurredAt: endedAt,
        actualAt,
        onAirMs: actualAt ? endedAt.getTime() - actualAt.getTime() : null,
        evidenceLevel: evidence.level as AirtimeEvidenceLevel,
        evidence: { items: evidence.items },
      });
    }
  }

  /** Appends what is pending now (shutdown, tests). */
  async drain(): Promise<void> {
    await this.flush();
  }

  private flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.flushing;
    const ledger = this.ledger;
    // One append at a time, in order: a commune's chain sees the entries as they happened.
    this.flushing = this.flushing.then(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await ledger.append(batch);
        } catch (error) {
          if (attempt >= APPEND_RETRIES_MS.length) {
            return this.logger.error({ err: error, playbackIds: batch.map((entry) => entry.playbackId) }, 'Airtime entries could not be appended');
          }
          if (attempt === 0) this.logger.warn({ err: error, entries: batch.length }, 'Airtime append failed; retrying for about a minute');
          await sleep(APPEND_RETRIES_MS[attempt]);
        }
      }
    });
    return this.flushing;
  }
}
