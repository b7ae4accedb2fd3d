import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from '../queue/redis-client';
import { slowdownMs } from './login-slowdown';

/** What a sign-in attempt must do before its password is checked. */
export type Admission = { refusedForSeconds: number } | { waitMs: number };

/** Longer names are refused by the login's validation anyway; the key stays small whatever was sent. */
const MAX_ACCOUNT_KEY = 100;

/** The account a login attempt names, normalised as usernames are stored. */
export function claimedAccount(request: Request): string {
  const body = request.body as { username?: unknown } | undefined;
  return typeof body?.username === 'string' ? body.username.trim().toLowerCase().slice(0, MAX_ACCOUNT_KEY) : '';
}

/**
 * Failed sign-ins, counted in Redis (shared by every API instance) per window: per account and client address,
 * which refuses only that address (a stranger elsewhere cannot lock the owner out), and per account from anywhere,
 * which only slows the account's sign-ins down. The window starts at the first failure.
 */
@Injectable()
export class LoginAttempts {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async admission(account: string, address: string | undefined): Promise<Admission> {
    const pairKey = this.pairKey(account, address);
    const [[, pairFailures], [, pairTtlMs], [, accountFailures]] = (await this.redis.multi().get(pairKey).pttl(pairKey).get(this.accountKey(account)).exec()) as [
      [null, string | null],
      [null, number],
      [null, string | null],
    ];
    if (Number(pairFailures ?? 0) >= this.config.auth.loginThrottle.accountAddressLimit) {
      return { refusedForSeconds: Math.max(1, Math.ceil(pairTtlMs / 1000)) };
    }
    return { waitMs: slowdownMs(Number(accountFailures ?? 0), this.config.auth.loginSlowdown) };
  }

  async failed(account: string, address: string | undefined): Promise<void> {
    const windowMs = this.config.auth.loginThrottle.windowSeconds * 1000;
    const transaction = this.redis.multi();
    for (const key of [this.pairKey(account, address), this.accountKey(account)]) transaction.set(key, 0, 'PX', windowMs, 'NX').incr(key);
    await transaction.exec();
  }

  /** The right password from this address clears its failures there; the account's count from elsewhere stays. */
  async succeeded(account: string, address: string | undefined): Promise<void> {
    await this.redis.del(this.pairKey(account, address));
  }

  private accountKey(account: string): string {
    return `${this.config.redis.queuePrefix}:login-failures:account:${account}`;
  }

  private pairKey(account: string, address: string | undefined): string {
    return `${this.config.redis.queuePrefix}:login-failures:pair:${address ?? 'unknown'}|${account}`;
  }
}
