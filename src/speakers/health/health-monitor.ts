import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Not, Repository } from 'typeorm';
import { clearNamedTimer, setNamedTimeout } from '../../common/named-timers';
import { AppConfig } from '../../config/app-config';
import { SpeakerHealthCheck } from '../speaker-health-check.entity';
import { Speaker } from '../speaker.entity';
import { LOA_LOCK_NAMESPACE, withAdvisoryLock } from './advisory-lock';
import { msUntilNextRound, pause, runSweep, SweepSummary, sweepSpreadMs } from './health-sweep';
import { SpeakerHealthService } from './speaker-health.service';

/** Held by the one instance that sweeps; the others skip the round. */
export const HEALTH_SWEEP_LOCK = [LOA_LOCK_NAMESPACE, 1] as const;
/** The sweep's timer name in Nest's SchedulerRegistry. */
export const HEALTH_SWEEP_TIMER = 'speaker-health-sweep';
export const HISTORY_RETENTION_MS = 30 * 24 * 3600_000;
const PRUNE_EVERY_MS = 24 * 3600_000;
/** Rows deleted per statement, so that pruning never holds a long lock on the history. */
const PRUNE_BATCH = 5_000;

export interface SweepRequest {
  /** Window over which checks start; by default the interval less the checks' timeouts. */
  spreadMs?: number;
}

export type HealthSweepReport =
  { swept: false; reason: 'another instance is sweeping' | 'shutting down' } | (SweepSummary & { swept: true; ok: number; failing: number; pruned: number });

/**
 * Every `SPEAKER_HEALTH_INTERVAL_SECONDS`, checks each enabled speaker once, spread over the interval with bounded
 * concurrency; the history keeps what changed and an hourly heartbeat (see HistoryKeeping). Only the instance
 * holding a PostgreSQL advisory lock sweeps, so several API instances never double the checks. Rounds are aligned
 * on the epoch, so a speaker keeps its offset whichever instance sweeps.
 */
@Injectable()
export class SpeakerHealthMonitor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SpeakerHealthMonitor.name);
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private nextPruneAt = 0;

  constructor(
    @InjectRepository(Speaker) private readonly speakers: Repository<Speaker>,
    @InjectRepository(SpeakerHealthCheck) private readonly checks: Repository<SpeakerHealthCheck>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: SpeakerHealthService,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  private get intervalMs(): number {
    return this.config.speakers.healthIntervalSeconds * 1000;
  }

  onApplicationBootstrap(): void {
    if (!this.config.speakers.healthMonitor) return void this.logger.log('Speaker health monitor is off (SPEAKER_HEALTH_MONITOR)');
    const { healthIntervalSeconds, healthConcurrency } = this.config.speakers;
    this.logger.log({ intervalSeconds: healthIntervalSeconds, concurrency: healthConcurrency }, 'Speaker health monitor started');
    this.scheduleNextRound();
  }

  /** Runs before the database closes: no new check starts, and those in flight may still write their result. */
  async beforeApplicationShutdown(): Promise<void> {
    clearNamedTimer(this.scheduler, 'timeout', HEALTH_SWEEP_TIMER);
    this.stopping.abort();
    await Promise.all(this.inFlight);
  }

  /**
   * One round, if no other instance is sweeping: every enabled speaker checked once, and the history pruned when a
   * day has passed since this instance last did it. The lock is kept until the spread window has passed, so an
   * instance whose timer fires late in the same round finds it still taken.
   */
  async sweepOnce(request: SweepRequest = {}): Promise<HealthSweepReport> {
    const signal = this.stopping.signal;
    if (signal.aborted) return { swept: false, reason: 'shutting down' };
    const { connectTimeoutMs, responseTimeoutMs, healthConcurrency } = this.config.speakers;
    const spreadMs = request.spreadMs ?? sweepSpreadMs(this.intervalMs, connectTimeoutMs + responseTimeoutMs);
    const run = withAdvisoryLock(this.dataSource, HEALTH_SWEEP_LOCK, async () => {
      const startedAt = Date.now();
      const pruning = this.pruneIfDue(signal);
      const report = await this.sweep(healthConcurrency, spreadMs, signal);
      const pruned = await pruning;
      await pause(startedAt + spreadMs - Date.now(), signal);
      return { ...report, pruned };
    });
    const settled = run.catch(() => undefined);
    this.inFlight.add(settled);
    const outcome = await run.finally(() => this.inFlight.delete(settled));
    if (!outcome.acquired) {
      this.logger.debug('Speaker health sweep skipped: another instance holds the lock');
      return { swept: false, reason: 'another instance is sweeping' };
    }
    const report: HealthSweepReport = { swept: true, ...outcome.value };
    this.logger.debug(report, 'Speaker health sweep finished');
    if (report.durationMs > this.intervalMs) {
      this.logger.warn(
        { durationMs: report.durationMs, intervalMs: this.intervalMs, maxLateMs: report.maxLateMs, concurrency: healthConcurrency },
        'Speaker health sweep outlasted its interval, so the next round is skipped; raise SPEAKER_HEALTH_CONCURRENCY or SPEAKER_HEALTH_INTERVAL_SECONDS',
      );
    }
    return report;
  }

  private scheduleNextRound(): void {
    setNamedTimeout(this.scheduler, HEALTH_SWEEP_TIMER, msUntilNextRound(Date.now(), this.intervalMs), () => {
      this.sweepOnce()
        .catch((error: unknown) => this.logger.error({ err: error }, 'Speaker health sweep failed'))
        .finally(() => {
          if (!this.stopping.signal.aborted) this.scheduleNextRound();
        });
    });
  }

  private async sweep(concurrency: number, spreadMs: number, signal: AbortSignal) {
    // Manual clusters have no network to check: the village operator's confirmation is their only sign of life.
    const due = await this.speakers.find({ select: { id: true }, where: { enabled: true, driver: Not('manual') } });
    const tally = { ok: 0, failing: 0 };
    const summary = await runSweep(
      due,
      async ({ id }) => {
        // Read at its turn, not at the round's start: a speaker disabled or checked by hand meanwhile is seen as it is now.
        const speaker = await this.speakers.findOneBy({ id, enabled: true });
        if (!speaker) return;
        const result = await this.health.check(speaker, 'changes');
        tally[result.ok ? 'ok' : 'failing']++;
      },
      {
        concurrency,
        spreadMs,
        signal,
        onError: (speaker, error) => this.logger.error({ err: error, speakerId: speaker.id }, 'Speaker health check could not run'),
      },
    );
    return { ...summary, ...tally };
  }

  private async pruneIfDue(signal: AbortSignal): Promise<number> {
    if (Date.now() < this.nextPruneAt) return 0;
    const cutoff = new Date(Date.now() - HISTORY_RETENTION_MS);
    let pruned = 0;
    try {
      for (;;) {
        const { affected } = await this.checks
          .createQueryBuilder()
          .delete()
          .where('id IN (SELECT id FROM speaker_health_checks WHERE at < :cutoff ORDER BY id LIMIT :batch)', { cutoff, batch: PRUNE_BATCH })
          .execute();
        pruned += affected ?? 0;
        if ((affected ?? 0) < PRUNE_BATCH) break;
        // Shutting down: the rest waits for the next instance that sweeps.
        if (signal.aborted) return pruned;
      }
      this.nextPruneAt = Date.now() + PRUNE_EVERY_MS;
      if (pruned > 0) this.logger.log({ pruned, before: cutoff }, 'Pruned old speaker health checks');
    } catch (error) {
      this.logger.error({ err: error, pruned }, 'Could not prune old speaker health checks; trying again next round');
    }
    return pruned;
  }
}
