import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { clearNamedTimer, setNamedInterval } from '../common/named-timers';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from '../queue/redis-client';
import { RedisLossMarker } from '../queue/redis-loss-marker';
import { repeatedErrorLog } from '../queue/repeated-error-log';
import { LEASE_WATCH_MS } from './dispatch/lease-watch';
import { PlaybackPlanner } from './playback-planner';

/** How often the marker is looked at. */
const LOOK_MS = 1_000;
const TIMER = 'redis-loss-look';
/** Workers staged or on air put their lost leases back within a lease-watch round; the re-plan waits two. */
const LEASES_BACK_MS = 2 * LEASE_WATCH_MS;
/** How long a re-plan waits for the planner lock another run holds. */
const LOCK_WAIT_MS = 15_000;

/**
 * Notices within a second or two that Redis lost this service's data (RedisLossMarker, looked at every second and
 * at once when the connection comes back) and re-plans everything then, not at the next minute: the jobs of every
 * slot still waiting are queued again, each due at its own time. Slots already staged or on air play on: their
 * workers hold them in memory and put their speakers' leases back, and the re-plan waits for that so it does not
 * queue them twice. Runs where the planner runs (PLANNER), which alone look at the marker, so no other process hears
 * of a loss in its place. A re-plan that could not run (the lock stayed busy, PostgreSQL was away) is tried again
 * at the next look.
 */
@Injectable()
export class RedisLossReplanner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RedisLossReplanner.name);
  private readonly logFailure = repeatedErrorLog((error, repeats) => this.logger.warn({ err: error, repeats }, 'Could not look for a Redis loss'));
  private readonly onReady = (): void => void this.look();
  private marker: RedisLossMarker | null = null;
  private looking: Promise<void> | null = null;
  private replanDue = false;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly planner: PlaybackPlanner,
    private readonly config: AppConfig,
    private readonly timers: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.planner.enabled) return;
    this.marker = new RedisLossMarker(this.redis, `${this.config.redis.queuePrefix}:redis-marker`);
    setNamedInterval(this.timers, TIMER, LOOK_MS, () => void this.look());
    this.redis.on('ready', this.onReady);
    void this.look();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearNamedTimer(this.timers, 'interval', TIMER);
    this.redis.off('ready', this.onReady);
    await this.looking;
  }

  /** One look at a time: a look that found a loss lasts until its re-plan ends. */
  private look(): Promise<void> {
    this.looking ??= this.lookOnce().finally(() => (this.looking = null));
    return this.looking;
  }

  private async lookOnce(): Promise<void> {
    try {
      if (await this.marker!.lost()) {
        this.logger.warn('Redis lost this service’s data (or is new): re-planning now');
        this.replanDue = true;
        await sleep(LEASES_BACK_MS);
      }
      if (this.replanDue) this.replanDue = !(await this.planner.planWhenFree({}, LOCK_WAIT_MS));
    } catch (error) {
      this.logFailure(error as Error);
    }
  }
}
