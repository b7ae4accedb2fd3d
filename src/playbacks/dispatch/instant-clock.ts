import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with sub-millisecond resolution. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/**
 * A timer fires up to a few milliseconds late (more under load); the last stretch before an instant is spun out
 * on the clock instead, once per instant for every waiter of this process.
 */
const SPIN_MS = 15;

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  instantMs: number;
  /** The waiters of its signal, to leave once released. */
  watched: Set<Waiter>;
}

/**
 * Releases every waiter of one instant in the same turn of the event loop, as close after the instant as the
 * process allows: the villages staged for 06:00:00 call their speakers' drivers one after another in one burst,
 * not whenever each one's own timer happens to fire.
 */
export class InstantClock {
  private readonly instants = new Map<number, Set<Waiter>>();
  /** One abort listener per signal (the worker's stop), not one per waiter: releasing hundreds of villages stays O(n). */
  private readonly bySignal = new WeakMap<AbortSignal, Set<Waiter>>();

  /** Resolves at `instantMs` (at once when it is past); rejects with the signal's reason if aborted first. */
  at(instantMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (preciseNow() >= instantMs) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      let waiters = this.instants.get(instantMs);
      if (!waiters) {
        waiters = new Set();
        this.instants.set(instantMs, waiters);
        this.arm(instantMs);
      }
      const waiter: Waiter = { resolve, reject, instantMs, watched: this.watch(signal) };
      waiters.add(waiter);
      waiter.watched.add(waiter);
    });
  }

  private watch(signal: AbortSignal): Set<Waiter> {
    let watched = this.bySignal.get(signal);
    if (!watched) {
      const waiting = new Set<Waiter>();
      watched = waiting;
      this.bySignal.set(signal, waiting);
      signal.addEventListener(
        'abort',
        () => {
          for (const waiter of waiting) {
            this.instants.get(waiter.instantMs)?.delete(waiter);
            waiter.reject(signal.reason);
          }
          waiting.clear();
        },
        { once: true },
      );
    }
    return watched;
  }

  private arm(instantMs: number): void {
    const timer = setTimeout(() => this.release(instantMs), Math.max(0, instantMs - preciseNow() - SPIN_MS));
    // A process with nothing else to do than wait must still be allowed to exit (shutdown aborts the waiters).
    timer.unref();
  }

  private release(instantMs: number): void {
    // Blocking on purpose: at most SPIN_MS, once per instant, so that no other callback runs between the instant
    // and the drivers' calls.
    while (preciseNow() < instantMs) {
      /* spin */
    }
    const waiters = this.instants.get(instantMs) ?? new Set<Waiter>();
    this.instants.delete(instantMs);
    for (const waiter of waiters) waiter.resolve();
    // Released waiters no longer listen for the stop. Done after the release, off the instant's path.
    setImmediate(() => {
      for (const waiter of waiters) waiter.watched.delete(waiter);
    });
  }
}
