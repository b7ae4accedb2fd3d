import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGetTrackerFunction, ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';

export const ACCOUNT_THROTTLER = 'account';
export const ADDRESS_THROTTLER = 'address';

/** The account a login attempt targets, normalised as usernames are stored. */
export function loginAccountTracker(installation: string): ThrottlerGetTrackerFunction {
  return (request) => {
    const username = typeof request.body?.username === 'string' ? request.body.username.trim().toLowerCase() : '';
    return `${installation}:login-account:${username}`;
  };
}

/** The client address as Express resolved it: X-Forwarded-For counts only behind a configured trusted proxy. */
export function loginAddressTracker(installation: string): ThrottlerGetTrackerFunction {
  return (request) => `${installation}:login-address:${request.ip}`;
}

/**
 * Limits login attempts per account and per address, counted in Redis so every API instance shares the count.
 * Answers 429 with a standard Retry-After header and a message people understand.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new HttpException(`Too many sign-in attempts; try again in ${seconds} seconds`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
