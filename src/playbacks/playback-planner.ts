import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, In, Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { PlaybackJobName, PlaybackJobPayloads, QueueName } from '../queue/queue.constants';
import { ScheduleSpeakers } from '../schedules/schedule-speakers';
import { ScheduleStatus } from '../schedules/schedule-status';
import { Schedule } from '../schedules/schedule.entity';
import { LOA_LOCK_NAMESPACE, withAdvisoryLock } from '../speakers/health/advisory-lock';
import { Playback } from './playback.entity';
import { PlaybackStatus, WAITING_PLAYBACK_STATUSES } from './playback-status';
import { dispatchDelayMs, msUntilNextMinute, PlannedPlayback, planPlaybacks, playbackJobId } from './planning';

/** Held by the one instance that plans; the others skip the tick. */
export const PLANNER_LOCK = [LOA_LOCK_NAMESPACE, 2] as const;
const INSERT_CHUNK = 500;

export interface PlanOptions {
  /** Plan only these communes' schedules (tests share one database). */
  communeIds?: string[];
}

export type PlanReport =
  | { planned: false; reason: 'another instance is planning' | 'shutting down' }
  | { planned: true; schedules: number; inserted: number; queued: number; cancelled: number };

/**
 * Every minute, one API instance (PostgreSQL advisory lock) turns active schedules into playbacks over the horizon
 * and queues each one's dispatch under its deterministic job id. Idempotent: rows are unique on (schedule, speaker,
 * instant) and BullMQ ignores a job id it holds, so a second run, or a run after Redis lost everything, rebuilds
 * the same jobs. Each tick also cancels the waiting playbacks of paused or cancelled schedules and withdraws their
 * jobs, so schedule changes need no hook in SchedulesService (at most a minute's delay).
 */
@Injectable()
export class PlaybackPlanner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PlaybackPlanner.name);
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectRepository(Schedule) private readonly schedules: Repository<Schedule>,
    @InjectRepository(Playback) private readonly playbacks: Repository<Playback>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Playback) private readonly queue: Queue<PlaybackJobPayloads[PlaybackJobName], unknown, PlaybackJobName>,
    private readonly speakers: ScheduleSpeakers,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.planner.enabled) return void this.logger.log('Planner is off (PLANNER)');
    this.logger.log({ horizonHours: this.config.planner.horizonHours }, 'Planner started');
    // At once, so a restart rebuilds the queue without waiting for the minute; then on every minute.
    this.tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.stopping) return;
    this.running = this.planOnce()
      .catch((error: unknown) => this.logger.error({ err: error }, 'Planning failed; next minute retries'))
      .finally(() => {
        if (!this.stopping) this.timer = setTimeout(() => this.tick(), msUntilNextMinute(new Date()));
      });
  }

  async planOnce(options: PlanOptions = {}): Promise<PlanReport> {
    if (this.stopping) return { planned: false, reason: 'shutting down' };
    const run = await withAdvisoryLock(this.dataSource, PLANNER_LOCK, () => this.plan(options));
    if (!run.acquired) return { planned: false, reason: 'another instance is planning' };
    if (run.value.inserted + run.value.cancelled > 0) this.logger.log(run.value, 'Planned playbacks');
    return run.value;
  }

  private async plan(options: PlanOptions): Promise<PlanReport & { planned: true }> {
    const now = new Date();
    const horizonMs = this.config.planner.horizonHours * 3_600_000;
    const cancelled = await this.cancelWithdrawn(options);
    const active = await this.schedules.find({
      where: { status: ScheduleStatus.Active, ...(options.communeIds ? { communeId: In(options.communeIds) } : {}) },
    });
    const targets = await this.speakers.resolve(active.map((schedule) => schedule.id));
    let rows: PlannedPlayback[] = [];
    for (const schedule of active) {
      try {
        // concat, not push(...): a province-wide week is more rows than a call's argument list can hold.
        rows = rows.concat(planPlaybacks(schedule, targets.get(schedule.id) ?? [], now, horizonMs));
      } catch (error) {
        this.logger.error({ err: error, scheduleId: schedule.id }, 'Schedule could not be expanded; skipped');
      }
    }
    let inserted = 0;
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const result = await this.playbacks
        .createQueryBuilder()
        .insert()
        .values(rows.slice(start, start + INSERT_CHUNK).map((row) => ({ ...row, status: PlaybackStatus.Planned })))
        .orIgnore()
        .returning(['id'])
        .execute();
      inserted += (result.raw as unknown[]).length;
    }
    const queued = await this.queueWaiting(new Date(now.getTime() + horizonMs), options);
    return { planned: true, schedules: active.length, inserted, queued, cancelled };
  }

  /** Every waiting playback up to the horizon gets its job (a no-op for the ids BullMQ already holds). */
  private async queueWaiting(until: Date, options: PlanOptions): Promise<number> {
    const query = this.playbacks
      .createQueryBuilder('p')
      .select(['p.id', 'p.scheduledAt'])
      .where('p.status IN (:...waiting)', { waiting: WAITING_PLAYBACK_STATUSES })
      .andWhere('p.scheduled_at <= :until', { until });
    if (options.communeIds) query.andWhere('p.commune_id IN (:...communes)', { communes: options.communeIds.length ? options.communeIds : [null] });
    const waiting = await query.getMany();
    if (waiting.length === 0) return 0;
    const now = new Date();
    await this.queue.addBulk(
      waiting.map((playback) => ({
        name: PlaybackJobName.Dispatch,
        data: { playbackId: playback.id },
        opts: {
          jobId: playbackJobId(playback.id),
          delay: dispatchDelayMs(playback.scheduledAt, now),
          removeOnComplete: { age: 24 * 3600 },
          // A job that threw (say PostgreSQL was away) is dropped, so the next tick queues its playback again.
          removeOnFail: true,
        },
      })),
    );
    // One array parameter, whatever the count: PostgreSQL takes at most 65,535 bind parameters.
    await this.dataSource.query(`UPDATE playbacks SET status = $1, updated_at = now() WHERE status = $2 AND id = ANY($3::uuid[])`, [
      PlaybackStatus.Queued,
      PlaybackStatus.Planned,
      waiting.map((playback) => playback.id),
    ]);
    return waiting.length;
  }

  /**
   * Withdraws the waiting playbacks of schedules no longer active, with their jobs. A paused schedule's are
   * deleted: they were only plans, and resuming plans the same slots again. A cancelled schedule's become
   * `cancelled`, which reports keep.
   */
  private async cancelWithdrawn(options: PlanOptions): Promise<number> {
    const scoped = options.communeIds ? 'AND p.commune_id = ANY($2)' : '';
    const parameters = options.communeIds ? [WAITING_PLAYBACK_STATUSES, options.communeIds] : [WAITING_PLAYBACK_STATUSES];
    const [paused] = (await this.dataSource.query(
      `DELETE FROM playbacks p USING schedules s
        WHERE p.schedule_id = s.id AND s.status = 'paused' AND p.status = ANY($1) ${scoped}
        RETURNING p.id`,
      parameters,
    )) as [Array<{ id: string }>, number];
    const [cancelled] = (await this.dataSource.query(
      `UPDATE playbacks p SET status = 'cancelled', failure_reason = 'schedule_cancelled', finished_at = now(), updated_at = now()
         FROM schedules s
        WHERE p.schedule_id = s.id AND s.status = 'cancelled' AND p.status = ANY($1) ${scoped}
        RETURNING p.id`,
      parameters,
    )) as [Array<{ id: string }>, number];
    const withdrawn = [...paused, ...cancelled];
    for (const { id } of withdrawn) await this.queue.remove(playbackJobId(id));
    return withdrawn.length;
  }
}
