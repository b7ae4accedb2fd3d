import { DriverError, DriverErrorKind } from '../../speakers/drivers/driver-error';

/**
 * Driver errors worth another attempt within the misfire grace: the speaker could not be reached, did not answer in
 * time, or was busy (e.g. still letting go of a previous transmit). `auth`, `rejected` and `protocol` will not get
 * better by themselves: they fail at once, for a person to fix.
 */
export const TRANSIENT_DRIVER_ERRORS: readonly DriverErrorKind[] = ['unreachable', 'timeout', 'busy'];

const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 30_000;

/**
 * True when another attempt is safe: a transient kind, and no audio was sent (a `timeout` after the audio went out
 * may have been heard, and airing a bulletin twice is worse than recording a failure).
 */
export function isTransient(error: unknown): error is DriverError {
  return error instanceof DriverError && TRANSIENT_DRIVER_ERRORS.includes(error.kind) && !error.evidence?.length;
}

/** Wait before retry `n` (1, 2, …): 0.5 s doubling up to 30 s; 0 when that would end past the grace (no retry). */
export function retryDelayMs(n: number, msLeftInGrace: number): number {
  const delay = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, n - 1));
  return delay < msLeftInGrace ? delay : 0;
}
