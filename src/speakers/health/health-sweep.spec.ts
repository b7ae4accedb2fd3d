import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { msUntilNextRound, runSweep, stableOffset, sweepSpreadMs } from './health-sweep';

interface StubSpeaker {
  id: string;
}

function speakers(count: number): StubSpeaker[] {
  return Array.from({ length: count }, () => ({ id: randomUUID() }));
}

/** A stub check that takes a few milliseconds and records when each item started and how many ran at once. */
function instrumentedCheck(options: { minMs?: number; maxMs?: number; failFor?: Set<string> } = {}) {
  const { minMs = 1, maxMs = 4 } = options;
  const startedAt = new Map<string, number[]>();
  let active = 0;
  let maxActive = 0;
  const check = async (item: StubSpeaker) => {
    active++;
    maxActive = Math.max(maxActive, active);
    startedAt.set(item.id, [...(startedAt.get(item.id) ?? []), Date.now()]);
    try {
      await sleep(minMs + Math.floor(Math.random() * (maxMs - minMs + 1)));
      if (options.failFor?.has(item.id)) throw new Error(`speaker ${item.id} check crashed`);
    } finally {
      active--;
    }
  };
  return { check, startedAt, maxActive: () => maxActive };
}

describe('stableOffset', () => {
  it('gives an id the same offset every time, inside the window', () => {
    const ids = speakers(1000).map((s) => s.id);
    const first = ids.map((id) => stableOffset(id, 60_000));
    expect(ids.map((id) => stableOffset(id, 60_000))).toEqual(first);
    expect(Math.min(...first)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...first)).toBeLessThan(60_000);
  });

  it('spreads ids over the whole window rather than bunching them', () => {
    const offsets = speakers(10_000).map((s) => stableOffset(s.id, 60_000));
    const perTenth = Array.from({ length: 10 }, (_, tenth) => offsets.filter((o) => Math.floor(o / 6_000) === tenth).length);
    // 1,000 expected per tenth; a uniform hash stays well within ±20%.
    for (const count of perTenth) expect(count).toBeGreaterThan(800);
    for (const count of perTenth) expect(count).toBeLessThan(1200);
  });

  it('puts everything at the start when there is no window', () => {
    expect(stableOffset(randomUUID(), 0)).toBe(0);
  });
});

describe('round timing', () => {
  it('aligns rounds on the epoch, so every instance agrees on them', () => {
    expect(msUntilNextRound(120_000, 60_000)).toBe(60_000);
    expect(msUntilNextRound(125_500, 60_000)).toBe(54_500);
    expect(msUntilNextRound(179_999, 60_000)).toBe(1);
  });

  it('leaves room for the checks to time out before the next round, but keeps at least half the interval', () => {
    expect(sweepSpreadMs(60_000, 15_000)).toBe(39_000);
    expect(sweepSpreadMs(300_000, 15_000)).toBe(255_000);
    expect(sweepSpreadMs(10_000, 15_000)).toBe(5_000);
  });
});

describe('runSweep over 1,000 stub speakers', () => {
  it.each([5, 20])('never runs more than %i checks at once, and checks every speaker exactly once', async (concurrency) => {
    const items = speakers(1000);
    const stub = instrumentedCheck();

    const summary = await runSweep(items, stub.check, { concurrency, spreadMs: 0 });

    expect(stub.maxActive()).toBeLessThanOrEqual(concurrency);
    // Everything is due at once, so the pool is full: the limit is reached, not just respected by running one at a time.
    expect(stub.maxActive()).toBe(concurrency);
    expect(stub.startedAt.size).toBe(items.length);
    expect([...stub.startedAt.values()].every((starts) => starts.length === 1)).toBe(true);
    expect(summary).toMatchObject({ items: 1000, checked: 1000, errors: 0, skipped: 0 });
  });

  it('starts each check at its own offset, spread over the window instead of all in the first instant', async () => {
    const items = speakers(1000);
    const spreadMs = 1_000;
    const stub = instrumentedCheck();
    const sweepStart = Date.now();

    await runSweep(items, stub.check, { concurrency: 20, spreadMs });

    const elapsed = items.map((item) => stub.startedAt.get(item.id)![0] - sweepStart);
    // No check starts before its offset (timer granularity aside)...
    for (const [index, item] of items.entries()) expect(elapsed[index]).toBeGreaterThanOrEqual(stableOffset(item.id, spreadMs) - 2);
    // ...so the starts cover the window: about a tenth of them in each tenth of it.
    const firstTenth = elapsed.filter((ms) => ms < spreadMs / 10).length;
    expect(firstTenth).toBeLessThan(200);
    expect(Math.max(...elapsed)).toBeGreaterThan(spreadMs * 0.9);
  });

  it('keeps every speaker at the same offset from one sweep to the next', async () => {
    const items = speakers(200);
    const spreadMs = 400;
    const runOnce = async () => {
      const stub = instrumentedCheck({ minMs: 0, maxMs: 1 });
      const start = Date.now();
      await runSweep(items, stub.check, { concurrency: 50, spreadMs });
      return items.map((item) => stub.startedAt.get(item.id)![0] - start);
    };
    const first = await runOnce();
    const second = await runOnce();
    const drift = first.map((ms, index) => Math.abs(ms - second[index]));
    // Timer jitter only; were offsets drawn anew each sweep, more than half would move by over 100 ms.
    expect(drift.filter((ms) => ms > 100).length).toBeLessThan(20);
  });

  it('goes on after checks that throw, and reports them', async () => {
    const items = speakers(1000);
    const failing = new Set(items.filter((_, index) => index % 100 === 7).map((s) => s.id));
    const stub = instrumentedCheck({ failFor: failing });
    const reported: string[] = [];

    const summary = await runSweep(items, stub.check, {
      concurrency: 5,
      spreadMs: 0,
      onError: (item, error) => reported.push(`${item.id}: ${(error as Error).message}`),
    });

    expect(stub.startedAt.size).toBe(1000);
    expect(summary).toMatchObject({ checked: 990, errors: 10, skipped: 0 });
    expect(reported).toHaveLength(10);
    expect(reported.every((line) => /crashed/.test(line))).toBe(true);
  });

  it('uses the offsets it is given', async () => {
    const items = speakers(3);
    const order: string[] = [];
    const offsets = new Map([
      [items[0].id, 60],
      [items[1].id, 0],
      [items[2].id, 30],
    ]);

    await runSweep(items, async (item) => void order.push(item.id), { concurrency: 1, spreadMs: 100, offsetOf: (item) => offsets.get(item.id)! });

    expect(order).toEqual([items[1].id, items[2].id, items[0].id]);
  });

  it('stops starting checks once aborted, lets the running ones finish, and returns without waiting out the window', async () => {
    const items = speakers(1000);
    const stub = instrumentedCheck({ minMs: 20, maxMs: 20 });
    const controller = new AbortController();
    const startedAt = Date.now();
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = Date.now();
      controller.abort();
    }, 200);

    const summary = await runSweep(items, stub.check, { concurrency: 5, spreadMs: 2_000, signal: controller.signal });

    const finishedAt = Date.now();
    const starts = [...stub.startedAt.values()].flat();
    expect(starts.every((at) => at <= abortedAt)).toBe(true);
    expect(summary.checked).toBe(starts.length);
    expect(summary.checked).toBeGreaterThan(0);
    expect(summary.checked + summary.skipped).toBe(1000);
    expect(summary.skipped).toBeGreaterThan(800);
    // Only the checks in flight (20 ms each) are awaited, not the 2 s window.
    expect(finishedAt - abortedAt).toBeLessThan(500);
    expect(finishedAt - startedAt).toBeLessThan(1_500);
  });

  it('skips checks still waiting for a slot when aborted', async () => {
    const items = speakers(100);
    const controller = new AbortController();
    let calls = 0;
    const summary = await runSweep(
      items,
      async () => {
        calls++;
        if (calls === 1) controller.abort();
        await sleep(5);
      },
      { concurrency: 2, spreadMs: 0, signal: controller.signal },
    );

    // At most the two slots had started before the abort; the rest, queued behind them, never do.
    expect(calls).toBeLessThanOrEqual(2);
    expect(summary).toMatchObject({ checked: calls, skipped: 100 - calls });
  });
});
