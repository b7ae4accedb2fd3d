import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGetTrackerFunction, ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';

export const ADDRESS_THROTTLER = 'address';

/** The client address as Express resolved it: X-Forwarded-For counts only behind a configured trusted proxy. */
export function loginAddressTracker(installation: string): ThrottlerGetTrackerFunction {
  return (request) => `${installation}:login-address:${request.ip}`;
}

/**
 * Limits sign-in attempts per client address (one address spraying many accounts), counted in Redis so every API
 * instance shares the count. Answers 429 with a standard Retry-After header and a message people understand.
 * Failures per account are LoginAttemptsGuard's.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new HttpException(`Too many sign-in attempts from your address; try again in ${seconds} seconds`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
