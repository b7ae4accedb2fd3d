import { InstantClock, preciseNow } from './instant-clock';

describe('InstantClock', () => {
  it('releases every waiter of one instant in the same turn, never before the instant', async () => {
    const clock = new InstantClock();
    const instant = preciseNow() + 60;
    const released: number[] = [];
    const waiters = [1, 2, 3].map(() => clock.at(instant, new AbortController().signal).then(() => released.push(preciseNow())));
    // Nothing is released by a turn of the event loop before the instant.
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toEqual([]);
    await Promise.all(waiters);
    expect(released).toHaveLength(3);
    for (const at of released) expect(at).toBeGreaterThanOrEqual(instant);
  });

  it('answers at once for an instant already past', async () => {
    await expect(new InstantClock().at(preciseNow() - 1_000, new AbortController().signal)).resolves.toBeUndefined();
  });

  it('rejects a waiter whose signal aborts, without releasing the others early', async () => {
    const clock = new InstantClock();
    const instant = preciseNow() + 60;
    const stop = new AbortController();
    const stopped = clock.at(instant, stop.signal);
    const kept = clock.at(instant, new AbortController().signal);
    stop.abort(new Error('the worker shut down'));
    await expect(stopped).rejects.toThrow('the worker shut down');
    await kept;
    expect(preciseNow()).toBeGreaterThanOrEqual(instant);
    const aborted = new AbortController();
    aborted.abort(new Error('already'));
    await expect(clock.at(preciseNow() + 1_000, aborted.signal)).rejects.toThrow('already');
  });
});
