import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { claimedAccount, LoginAttempts } from './login-attempts';

/**
 * Before a password is checked: 429 with Retry-After when this address failed this account too often, otherwise
 * the wait the account's failures from anywhere impose (a guesser is slowed down, the owner is never refused).
 */
@Injectable()
export class LoginAttemptsGuard implements CanActivate {
  constructor(private readonly attempts: LoginAttempts) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const admission = await this.attempts.admission(claimedAccount(request), request.ip);
    if ('refusedForSeconds' in admission) {
      const seconds = admission.refusedForSeconds;
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(seconds));
      throw new HttpException(
        `Too many failed sign-ins for this account from your address; try again in ${seconds} seconds (or ask the administrator to reset the password)`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    if (admission.waitMs > 0) await sleep(admission.waitMs);
    return true;
  }
}
