import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { QueueName } from '../queue/queue.constants';
import { ScheduleChange, ScheduleChanges } from '../schedules/schedule-changes';
import { ScheduleSpeakers } from '../schedules/schedule-speakers';
import { ScheduleStatus } from '../schedules/schedule-status';
import { Schedule } from '../schedules/schedule.entity';
import { withAdvisoryLock } from '../speakers/health/advisory-lock';
import { PLANNER_LOCK, PlaybackPlanner } from './playback-planner';
import { WAITING_PLAYBACK_STATUSES } from './playback-status';
import { planPlaybacks, villageJobId } from './planning';

/** How long a change waits for the planner lock held by a tick or another instance before retrying in the background. */
const LOCK_WAIT_MS = 15_000;
const LOCK_POLL_MS = 100;
/** How often changes that could not get the lock are tried again. */
const RETRY_MS = 10_000;

interface WaitingRow {
  id: string;
  speaker_id: string;
  village_id: string;
  scheduled_at: Date;
}

/**
 * Makes a schedule's plan follow its changes at once, not at the next tick. After an edit, the waiting playbacks
 * the schedule no longer means (another instant, a speaker no longer targeted) are deleted and their village jobs
 * withdrawn; those it still means keep their rows (and so their jobs) with the new priority and grace. Then the
 * commune is planned, which adds the new occurrences and withdraws a paused or cancelled schedule's playbacks.
 *
 * The deletion runs under the planner's lock: a tick that read the schedule before the edit has then finished
 * inserting, and every later tick reads the edit, so no stale occurrence can come back. A job whose playbacks were
 * withdrawn finds none waiting when it fires and does nothing.
 */
@Injectable()
export class ScheduleReplanner implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduleReplanner.name);
  private unsubscribe: (() => void) | null = null;
  /** Changes whose stale playbacks are still to withdraw, by schedule: only the latest matters. */
  private readonly pending = new Map<string, ScheduleChange>();
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly changes: ScheduleChanges,
    private readonly planner: PlaybackPlanner,
    private readonly speakers: ScheduleSpeakers,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Playback) private readonly queue: Queue,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.changes.subscribe((change) => this.followOrRetry(change));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    clearTimeout(this.retryTimer);
  }

  /** `follow`, kept for a retry when it failed (PostgreSQL away, say): an edit must never leave its old slots to air. */
  private async followOrRetry(change: ScheduleChange): Promise<void> {
    try {
      await this.follow(change);
    } catch (error) {
      this.pending.set(change.scheduleId, change);
      this.retryLater();
      throw error;
    }
  }

  /** Withdraws what the change made stale, then plans the commune. */
  private async follow(change: ScheduleChange): Promise<void> {
    if (change.kind !== 'created') {
      const withdrawn = await this.underPlannerLock(() => this.withdrawStale(change.scheduleId));
      if (withdrawn === null) {
        this.logger.warn(change, 'The planner lock stayed busy; the stale playbacks of this schedule are withdrawn in the background');
        this.pending.set(change.scheduleId, change);
        this.retryLater();
        return;
      }
    }
    this.pending.delete(change.scheduleId);
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const report = await this.planner.planOnce({ communeIds: [change.communeId] });
      if (report.planned) return;
      // Busy for long (or shutting down): the next tick plans the rest, the withdrawal above being done already.
      if (Date.now() > deadline || report.reason === 'shutting down') {
        return void this.logger.log({ ...change, reason: report.reason }, 'Schedule change left to the next planner tick');
      }
      await sleep(LOCK_POLL_MS);
    }
  }

  /**
   * Deletes the schedule's waiting playbacks that its current content no longer plans, updates the others'
   * priority and grace, and withdraws the village jobs left with nothing to play. Answers how many were deleted.
   * A paused or cancelled schedule is left to the planner, which withdraws all of its waiting playbacks.
   */
  private async withdrawStale(scheduleId: string): Promise<number> {
    const schedule = await this.dataSource.getRepository(Schedule).findOneBy({ id: scheduleId });
    if (!schedule || schedule.status !== ScheduleStatus.Active) return 0;
    const speakers = (await this.speakers.resolve([schedule.id])).get(schedule.id) ?? [];
    const wanted = new Set(
      planPlaybacks(schedule, speakers, new Date(), this.config.planner.horizonHours * 3_600_000).map((row) => key(row.speakerId, row.scheduledAt)),
    );
    const waiting = (await this.dataSource.query(
      'SELECT id, speaker_id, village_id, scheduled_at FROM playbacks WHERE schedule_id = $1 AND status = ANY($2)',
      [schedule.id, WAITING_PLAYBACK_STATUSES],
    )) as WaitingRow[];
    const stale = waiting.filter((row) => !wanted.has(key(row.speaker_id, row.scheduled_at)));
    // Guarded by status: a playback a worker took meanwhile is on air and no longer this change's to withdraw.
    const [deleted] = (await this.dataSource.query('DELETE FROM playbacks WHERE id = ANY($1::uuid[]) AND status = ANY($2) RETURNING id', [
      stale.map((row) => row.id),
      WAITING_PLAYBACK_STATUSES,
    ])) as [Array<{ id: string }>, number];
    await this.dataSource.query(
      `UPDATE playbacks SET priority = $2, grace_until = scheduled_at + make_interval(secs => $3), updated_at = now()
        WHERE schedule_id = $1 AND status = ANY($4) AND (priority <> $2 OR grace_until <> scheduled_at + make_interval(secs => $3))`,
      [schedule.id, schedule.priority, schedule.misfireGraceSeconds, WAITING_PLAYBACK_STATUSES],
    );
    await this.withdrawEmptyJobs(schedule.id, stale.filter((row) => deleted.some((gone) => gone.id === row.id)));
    if (deleted.length > 0) this.logger.log({ scheduleId, withdrawn: deleted.length }, 'Withdrew playbacks the edited schedule no longer plans');
    return deleted.length;
  }

  /** Removes the job of each village slot that has no waiting playback left (a job already running is left to skip). */
  private async withdrawEmptyJobs(scheduleId: string, deleted: WaitingRow[]): Promise<void> {
    const slots = new Map<string, { scheduledAt: Date; villageId: string }>();
    for (const row of deleted) slots.set(`${row.village_id}@${row.scheduled_at.getTime()}`, { scheduledAt: row.scheduled_at, villageId: row.village_id });
    for (const slot of slots.values()) {
      const [{ left }] = (await this.dataSource.query(
        'SELECT count(*)::int AS left FROM playbacks WHERE schedule_id = $1 AND village_id = $2 AND scheduled_at = $3 AND status = ANY($4)',
        [scheduleId, slot.villageId, slot.scheduledAt, WAITING_PLAYBACK_STATUSES],
      )) as [{ left: number }];
      if (left === 0) await this.queue.remove(villageJobId({ scheduleId, ...slot }));
    }
  }

  /** The work's result once it ran under the planner lock, or null when the lock stayed busy for LOCK_WAIT_MS. */
  private async underPlannerLock<T>(work: () => Promise<T>): Promise<T | null> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const run = await withAdvisoryLock(this.dataSource, PLANNER_LOCK, work);
      if (run.acquired) return run.value;
      if (Date.now() > deadline) return null;
      await sleep(LOCK_POLL_MS);
    }
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      for (const change of [...this.pending.values()]) {
        this.followOrRetry(change).catch((error: unknown) => this.logger.error({ err: error, ...change }, 'Could not re-plan the changed schedule; trying again'));
      }
    }, RETRY_MS);
    this.retryTimer.unref();
  }
}

function key(speakerId: string, scheduledAt: Date): string {
  return `${speakerId}@${scheduledAt.getTime()}`;
}
