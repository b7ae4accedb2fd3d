import { DriverError } from '../../speakers/drivers/driver-error';
import { isTransient, retryDelayMs } from './transient-errors';

describe('transient driver errors', () => {
  it('retries unreachable, timeout and busy, but never auth, rejected, protocol nor a play whose audio went out', () => {
    for (const kind of ['unreachable', 'timeout', 'busy'] as const) expect(isTransient(new DriverError(kind, 'x'))).toBe(true);
    for (const kind of ['auth', 'rejected', 'protocol'] as const) expect(isTransient(new DriverError(kind, 'x'))).toBe(false);
    const sent = new DriverError('timeout', 'no answer').withEvidence([
      { bulletinId: 'b-1', evidence: { level: 'commanded', commandedAt: new Date(), device: {} } },
    ]);
    expect(isTransient(sent)).toBe(false);
    expect(isTransient(new Error('boom'))).toBe(false);
  });

  it('backs off from half a second, doubling up to 30 s, and gives up when the grace would run out', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 600_000))).toEqual([500, 1_000, 2_000, 4_000]);
    expect(retryDelayMs(20, 600_000)).toBe(30_000);
    expect(retryDelayMs(3, 1_500)).toBe(0);
    expect(retryDelayMs(1, 0)).toBe(0);
  });
});
