import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Request } from 'express';
import type Redis from 'ioredis';
import { clearNamedTimer, setNamedInterval } from '../common/named-timers';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from '../queue/redis-client';
import { AuditService } from './audit.service';

/** The timer's name in Nest's SchedulerRegistry. */
export const UNAUTHENTICATED_AUDIT_TIMER = 'unauthenticated-denials';
/** The audit action of a window's summary. */
export const UNAUTHENTICATED_ACTION = 'auth.unauthenticated';
/** Closed windows are written at least this often (sooner for shorter windows). */
const LONGEST_TICK_MS = 10_000;
/** Windows written per Redis round trip; the rest wait for the next tick. */
const WINDOWS_PER_TICK = 500;

/**
 * Takes every address whose window has closed, with its tally, and forgets them, in one step: whichever API instance
 * runs it first writes the row, the others find nothing.
 */
const TAKE_CLOSED = `
local addresses = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local taken = {}
for _, address in ipairs(addresses) do
  redis.call('ZREM', KEYS[1], address)
  local tally = ARGV[2] .. address
  table.insert(taken, address)
  table.insert(taken, redis.call('HGETALL', tally))
  redis.call('DEL', tally)
end
return taken`;

/**
 * Requests refused for want of a valid sign-in, tallied per client address in Redis (shared by every API instance)
 * and written to the audit log once per address per window (AUDIT_UNAUTHENTICATED_WINDOW_SECONDS, starting at that
 * address's first refusal) with their count: a stranger's flood costs one row per window, not one per request.
 */
@Injectable()
export class UnauthenticatedDenials implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(UnauthenticatedDenials.name);
  private writing: Promise<void> = Promise.resolve();
  private busy = false;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    setNamedInterval(this.scheduler, UNAUTHENTICATED_AUDIT_TIMER, Math.min(this.windowMs, LONGEST_TICK_MS), () => {
      if (!this.busy) this.writing = this.writeClosed();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearNamedTimer(this.scheduler, 'interval', UNAUTHENTICATED_AUDIT_TIMER);
    await this.writing;
  }

  /** Counts one refusal of `action` (e.g. `POST /api/bulletins`) from the request's address. */
  async count(request: Request, action: string): Promise<void> {
    const address = request.ip ?? 'unknown';
    const now = Date.now();
    const tally = this.tallyKey(address);
    try {
      await this.redis
        .multi()
        .hsetnx(tally, 'firstAt', String(now))
        .hsetnx(tally, 'firstAction', action)
        .hsetnx(tally, 'userAgent', request.headers['user-agent'] ?? '')
        .hset(tally, 'lastAt', String(now))
        .hincrby(tally, 'count', 1)
        // Kept well past its window in case no instance writes it for a while (all of them stopped).
        .pexpire(tally, this.windowMs + 24 * 3_600_000)
        .zadd(this.closingKey(), 'NX', now + this.windowMs, address)
        .exec();
    } catch (error) {
      this.logger.error({ err: error, address, action }, 'Could not count an unauthenticated request for the audit log');
    }
  }

  /** Writes one audit row for each address whose window has closed. */
  async writeClosed(): Promise<void> {
    this.busy = true;
    try {
      const taken = (await this.redis.eval(TAKE_CLOSED, 1, this.closingKey(), Date.now(), this.tallyKey(''), WINDOWS_PER_TICK)) as Array<string | string[]>;
      for (let i = 0; i < taken.length; i += 2) await this.write(taken[i] as string, taken[i + 1] as string[]);
    } catch (error) {
      this.logger.error({ err: error }, 'Could not write unauthenticated requests to the audit log; the next tick tries again');
    } finally {
      this.busy = false;
    }
  }

  private async write(address: string, pairs: string[]): Promise<void> {
    const tally: Record<string, string> = {};
    for (let i = 0; i < pairs.length; i += 2) tally[pairs[i]] = pairs[i + 1];
    if (!tally.count) return;
    await this.audit.record(
      {
        action: UNAUTHENTICATED_ACTION,
        outcome: 'denied',
        statusCode: 401,
        details: {
          count: Number(tally.count),
          firstAt: new Date(Number(tally.firstAt)).toISOString(),
          lastAt: new Date(Number(tally.lastAt)).toISOString(),
          firstAction: tally.firstAction,
        },
      },
      { ip: address === 'unknown' ? null : address, userAgent: tally.userAgent || null },
    );
  }

  private get windowMs(): number {
    return this.config.auth.unauthenticatedAuditWindowSeconds * 1000;
  }

  private closingKey(): string {
    return `${this.config.redis.queuePrefix}:audit-unauthenticated:closing`;
  }

  private tallyKey(address: string): string {
    return `${this.config.redis.queuePrefix}:audit-unauthenticated:tally:${address}`;
  }
}
