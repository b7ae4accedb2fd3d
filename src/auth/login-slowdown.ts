/** The first wait once an account has failed too often; each further failure doubles it, up to the maximum. */
const FIRST_WAIT_MS = 500;

export interface LoginSlowdown {
  /** Failures of the account in the window (from any address) that cost nothing. */
  afterFailures: number;
  /** The longest wait; 0 turns the slowdown off. */
  maxMs: number;
}

/**
 * How long a sign-in of an account waits before its password is checked, once the account has failed `failures`
 * times in the window from anywhere: a guesser spread over many addresses is slowed down exponentially, while the
 * owner, with the right password, still gets in (later, never refused).
 */
export function slowdownMs(failures: number, slowdown: LoginSlowdown): number {
  const beyond = failures - slowdown.afterFailures;
  if (beyond < 0 || slowdown.maxMs === 0) return 0;
  return Math.min(slowdown.maxMs, FIRST_WAIT_MS * 2 ** Math.min(beyond, 20));
}
