import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';

export interface SweepOptions<T> {
  /** Checks in flight at once, however many items are due. */
  concurrency: number;
  /** Every check starts within this many milliseconds of the sweep's start, at its own offset. */
  spreadMs: number;
  /** Where in the window an item's check starts; by default a hash of its id, so it keeps its rhythm across sweeps. */
  offsetOf?: (item: T) => number;
  /** Aborting stops checks from starting; the sweep still waits for those in flight, which end within their own timeouts. */
  signal?: AbortSignal;
  /** Told about each check that threw; the sweep goes on with the others. */
  onError?: (item: T, error: unknown) => void;
}

export interface SweepSummary {
  items: number;
  /** Checks that ran to their end. */
  checked: number;
  /** Checks that threw. */
  errors: number;
  /** Items never checked because the sweep was aborted. */
  skipped: number;
  /** How long the latest check waited for a free slot after its offset: above zero, concurrency is the bottleneck. */
  maxLateMs: number;
  durationMs: number;
}

/** An id's fixed place in a window of `spreadMs`: the same id always lands on the same offset. */
export function stableOffset(id: string, spreadMs: number): number {
  if (spreadMs <= 0) return 0;
  const hash = createHash('sha256').update(id).digest().readUInt32BE(0);
  return Math.floor((hash / 2 ** 32) * spreadMs);
}

/**
 * The part of an interval over which checks start: the last check, even one that runs to its timeout, should end
 * before the next round (with a tenth of the interval to spare), but the spread never shrinks below half the interval.
 */
export function sweepSpreadMs(intervalMs: number, checkTimeoutMs: number): number {
  return Math.max(Math.floor(intervalMs / 2), Math.floor(intervalMs * 0.9) - checkTimeoutMs);
}

/** Milliseconds until the next round starts; rounds are aligned on the epoch so every instance agrees on them. */
export function msUntilNextRound(nowMs: number, intervalMs: number): number {
  return intervalMs - (nowMs % intervalMs);
}

/** Sleeps, unless aborted first: answers false when the signal cut it short. */
export async function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false;
  if (ms <= 0) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks every item once: each starts at its offset inside the window, and never more than `concurrency` run at
 * once (a due check waits for a free slot). A check that throws is counted and reported, not fatal.
 */
export async function runSweep<T extends { id: string }>(
  items: readonly T[],
  check: (item: T) => Promise<unknown>,
  options: SweepOptions<T>,
): Promise<SweepSummary> {
  const startedAt = Date.now();
  const { signal } = options;
  const offsetOf = options.offsetOf ?? ((item: T) => stableOffset(item.id, options.spreadMs));
  const limit = pLimit(options.concurrency);
  const plan = items.map((item) => ({ item, offset: offsetOf(item) })).sort((a, b) => a.offset - b.offset);
  const summary = { items: items.length, checked: 0, errors: 0, skipped: 0, maxLateMs: 0 };

  const attempt = async (item: T, offset: number) => {
    // Queued behind a full pool when the abort came: it never starts.
    if (signal?.aborted) return void summary.skipped++;
    summary.maxLateMs = Math.max(summary.maxLateMs, Date.now() - startedAt - offset);
    try {
      await check(item);
      summary.checked++;
    } catch (error) {
      summary.errors++;
      try {
        options.onError?.(item, error);
      } catch {
        // A failing reporter must not end the sweep either.
      }
    }
  };

  const started: Promise<void>[] = [];
  for (const [index, { item, offset }] of plan.entries()) {
    if (!(await pause(startedAt + offset - Date.now(), signal))) {
      summary.skipped += plan.length - index;
      break;
    }
    started.push(limit(attempt, item, offset));
  }
  await Promise.all(started);
  return { ...summary, durationMs: Date.now() - startedAt };
}
