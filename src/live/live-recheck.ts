import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { AuthUser } from '../auth/auth-user';
import { CallerAuthentication } from '../auth/caller-authentication';

/** `ended`: the account may no longer listen as it did; `unknown`: it could not be checked this time. */
export type LiveVerdict = 'valid' | 'ended' | 'unknown';

const sorted = (ids: string[]) => [...ids].sort().join(',');

/** Same role and same communes and villages: what the stream sends depends on nothing else. */
export function sameAudience(now: AuthUser, opened: AuthUser): boolean {
  return now.role === opened.role && sorted(now.communeIds) === sorted(opened.communeIds) && sorted(now.villageIds) === sorted(opened.villageIds);
}

/**
 * Checks, while a live stream is open, that its token still stands for an account that may listen with the scope it
 * opened with: a disabled account, a sign-out (of this token or everywhere), a password change or a new scope ends
 * it (the browser reconnects, and is refused or gets its new scope).
 */
@Injectable()
export class LiveRecheck {
  private readonly logger = new Logger(LiveRecheck.name);

  constructor(private readonly callers: CallerAuthentication) {}

  async verdict(token: string, opened: AuthUser): Promise<LiveVerdict> {
    try {
      return sameAudience(await this.callers.authenticate(token), opened) ? 'valid' : 'ended';
    } catch (error) {
      if (error instanceof UnauthorizedException) return 'ended';
      // PostgreSQL or Redis unreachable says nothing about the account: the stream stays, the next check decides.
      this.logger.warn({ err: error, userId: opened.id }, 'Could not re-check a live stream; trying again at the next check');
      return 'unknown';
    }
  }
}
