import { Injectable } from '@nestjs/common';
import { Batcher } from '../../common/batcher';
import { PlaybackEvidenceRecord } from '../playback.entity';
import { PlaybackRepository } from '../playback-repository';
import { AttemptCall, AttemptOutcome, SlotPlayback } from '../playback-rows';
import { VillageSlot } from '../planning';
import { PlaybackFailure, PlaybackFailureCode } from '../playback-failure';

export type { AttemptOutcome, SlotPlayback } from '../playback-rows';

/** Rows per statement when outcomes are flushed together. */
const FLUSH_ROWS = 1_000;
/**
 * Staging statements served at once, and how much one may carry: the villages of a province's instant stage in a
 * few dozen statements, and the pool keeps connections for everything else.
 */
const STAGING_PARALLEL = 2;
const VILLAGES_PER_STATEMENT = 100;
/**
 * Waits between tries of a write made after a driver call (0.5 s doubling, about a minute in all): a PostgreSQL
 * restart must not lose what a speaker did, nor leave the playback `dispatching` for a rebuild to play it again.
 */
const AFTER_CALL_RETRIES_MS = [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000];

async function persistently<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= AFTER_CALL_RETRIES_MS.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, AFTER_CALL_RETRIES_MS[attempt]));
    }
  }
}

/**
 * How the dispatcher writes its playbacks through their repository: each statement for many playbacks at once (a
 * village of 50 speakers costs a handful of statements, not 50 of each), the loads and attempts of villages staging
 * together served together (one statement for as many villages as arrived while the previous was served), outcomes
 * that arrive together flushed in one, and every write made after a driver call retried through a PostgreSQL restart. The repository guards each
 * write by the attempt number and the state machine, so an older attempt (a paused or zombie worker) never records
 * over a newer one, and a terminal playback is never rewritten.
 */
@Injectable()
export class PlaybackWrites {
  private pending: Array<{ outcome: AttemptOutcome; done: () => void; failed: (error: unknown) => void }> = [];
  private flushing: NodeJS.Immediate | null = null;

  private readonly loads: Batcher<VillageSlot, SlotPlayback[]>;
  private readonly claims: Batcher<string[], Map<string, number>>;

  constructor(private readonly playbacks: PlaybackRepository) {
    this.loads = new Batcher((slots) => this.playbacks.loadSlots(slots), STAGING_PARALLEL, VILLAGES_PER_STATEMENT);
    this.claims = new Batcher(
      async (lists) => {
        const claimed = await this.playbacks.claimAttempts(lists.flat());
        return lists.map((ids) => new Map(ids.flatMap((id) => (claimed.has(id) ? [[id, claimed.get(id)!] as const] : []))));
      },
      STAGING_PARALLEL,
      VILLAGES_PER_STATEMENT,
    );
  }

  /** The slot's playbacks not yet terminal nor on air, each with its speaker's driver settings. */
  load(slot: VillageSlot): Promise<SlotPlayback[]> {
    return this.loads.call(slot);
  }

  /** status `dispatching`, attempts + 1: the attempt number of each playback that could move. */
  commitAttempts(ids: string[]): Promise<Map<string, number>> {
    return this.claims.call(ids);
  }

  /** The driver calls' instants: `started_at`, `lateness_ms` (call − scheduled instant) and evidence `commanded`. */
  async recordCalls(calls: AttemptCall[]): Promise<void> {
    await persistently(() => this.playbacks.recordStarted(calls));
  }

  /**
   * Records an attempt's end. Outcomes that arrive together (a village's speakers finishing the same program) are
   * written in one statement on the next turn of the event loop.
   */
  finish(outcome: AttemptOutcome): Promise<void> {
    return new Promise((done, failed) => {
      this.pending.push({ outcome, done, failed });
      this.flushing ??= setImmediate(() => void this.flush());
    });
  }

  /** `missed` with a reason, for playbacks no attempt was committed for (or whose attempt's worker died). */
  miss(ids: string[], failure: PlaybackFailure): Promise<string[]> {
    return this.playbacks.markMissed(ids, failure);
  }

  /** `failed` before any attempt: the speaker or the program's audio was gone by the instant. */
  failBeforeAttempt(ids: string[], failure: PlaybackFailure): Promise<string[]> {
    return this.playbacks.failBeforeAttempt(ids, failure);
  }

  /** `preempted` with the evidence the holder gathered (see PlaybackRepository.recordPreempted), retried. */
  recordPreempted(id: string, attempt: number, code: PlaybackFailureCode, evidence: PlaybackEvidenceRecord): Promise<PlaybackFailureCode> {
    return persistently(() => this.playbacks.recordPreempted(id, attempt, code, evidence));
  }

  /** Marks `holderId` pre-empted if it is still on air; true when this call did. */
  preempt(holderId: string, code: PlaybackFailureCode): Promise<boolean> {
    return this.playbacks.preemptOnAir(holderId, code);
  }

  isPreempted(id: string, attempt: number): Promise<boolean> {
    return persistently(() => this.playbacks.isPreempted(id, attempt));
  }

  private async flush(): Promise<void> {
    this.flushing = null;
    const batch = this.pending;
    this.pending = [];
    for (let start = 0; start < batch.length; start += FLUSH_ROWS) {
      const slice = batch.slice(start, start + FLUSH_ROWS);
      try {
        await persistently(() => this.playbacks.recordOutcomes(slice.map((item) => item.outcome)));
        for (const item of slice) item.done();
      } catch (error) {
        for (const item of slice) item.failed(error);
      }
    }
  }
}
