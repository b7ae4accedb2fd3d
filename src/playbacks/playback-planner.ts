import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, In, IsNull, Not, Repository } from 'typeorm';
import { clearNamedTimer, setNamedTimeout } from '../common/named-timers';
import { AppConfig } from '../config/app-config';
import { PlaybackJobName, PlaybackJobPayloads, QueueName } from '../queue/queue.constants';
import { RecurrenceEngine } from '../schedules/recurrence-engine';
import { Occurrence } from '../schedules/recurrence';
import { RecurrenceError } from '../schedules/recurrence-error';
import { ScheduleHolds } from '../schedules/schedule-holds';
import { ScheduleQuarantine } from '../schedules/schedule-quarantine';
import { ScheduleSpeakers } from '../schedules/schedule-speakers';
import { ScheduleStatus } from '../schedules/schedule-status';
import { Schedule } from '../schedules/schedule.entity';
import { LOA_LOCK_NAMESPACE, withAdvisoryLock } from '../speakers/health/advisory-lock';
import { PlaybackRepository } from './playback-repository';
import { QueuedSlotRow, StaleRow, VillageSlotRow } from './playback-rows';
import { AirtimeRecorder, AirtimeSubject } from './dispatch/airtime-recorder';
import { LeaseRedis, SpeakerLeases } from './speaker-lease';
import {
  dispatchDelayMs,
  msUntilNextMinute,
  occurrenceKey,
  RETAKE_DELAY_MS,
  PlannedPlayback,
  planningWindow,
  planPlaybacks,
  PlanningSpeaker,
  releasedCandidates,
  releasedUntil,
  villageJobId,
  withoutNewcomers,
} from './planning';

/** Held by the one instance that plans; the others skip the tick. */
export const PLANNER_LOCK = [LOA_LOCK_NAMESPACE, 2] as const;
/** The minute tick's name in Nest's SchedulerRegistry. */
export const PLANNER_TICK = 'playback-planner';
const INSERT_CHUNK = 5_000;
/** A minute's tick is incremental; every hour (and after a restart or a Redis loss) the whole plan is reconciled. */
export const FULL_RECONCILE_MS = 60 * 60_000;
/**
 * How far back an incremental tick looks for changes before its previous run began: a change committed by a
 * transaction that started earlier, or stamped by an application clock a little behind the database's, is still seen.
 */
const CHANGE_OVERLAP_MS = 5 * 60_000;
const JOB_CHUNK = 1_000;
/** How often planCommuneNow asks again for a lock another run holds. */
const LOCK_POLL_MS = 100;
/** A waiting playback this long past its grace was never dispatched: the dispatcher had its chance to miss it itself. */
const SERVICE_DOWN_MARGIN_MS = 30_000;
/** An attempt unfinished this long after its grace and program lost its worker and its job. */
const WORKER_LOST_MARGIN_MS = 5 * 60_000;

function staleSubject(row: StaleRow): AirtimeSubject {
  return { id: row.id, communeId: row.commune_id, villageId: row.village_id, speakerId: row.speaker_id, scheduledAt: row.scheduled_at };
}

export interface PlanOptions {
  /** Plan only these communes' schedules (tests share one database). */
  communeIds?: string[];
}

export type PlanReport =
  | { planned: false; reason: 'another instance is planning' | 'shutting down' }
  | {
      planned: true;
      /** `full`: every active schedule (of the scope) reconciled; `incremental`: a minute's tick, see PlaybackPlanner. */
      mode: 'full' | 'incremental';
      schedules: number;
      inserted: number;
      queued: number;
      withdrawn: number;
      cancelled: number;
      missed: number;
      skipped: number;
    };

/** What the last unscoped run left planned, for the next incremental tick. */
interface PlanProgress {
  /** Every active schedule is planned up to here. */
  plannedUntil: Date;
  /** Changes after this instant (database clock) are not yet followed. */
  changesAfter: Date;
  /** When the last full reconciliation ran (this process's clock). */
  fullAt: number;
}

/**
 * Every minute, one API instance (PostgreSQL advisory lock) turns active schedules into playbacks over the horizon
 * and queues one dispatch job per village slot (schedule × instant × village) under its deterministic job id.
 * Idempotent: rows are unique on (schedule, speaker, instant) and BullMQ ignores a job id it holds, so a second run,
 * or a run after Redis lost everything, rebuilds the same jobs. Each run makes the waiting playbacks match the
 * schedules as they are now: those an edit no longer means (another instant, a speaker no longer targeted) are
 * withdrawn with their jobs, the others take the schedule's priority, grace and program version; a paused
 * schedule's are withdrawn, a cancelled one's cancelled, and a schedule naming a bulletin that was rejected or archived
 * is held (paused, saying why) first, so its are withdrawn too. So the plan follows every change by the next tick at the
 * latest, whatever happened to the process that made it (ScheduleReplanner only makes it immediate). An occurrence
 * already released (its jobs due, DISPATCH_LEAD_MS before the instant) or past keeps the speakers it was released
 * with: one registered, enabled or moved into a targeted village since then starts with the next occurrence. Each run
 * also ends what can no longer play (`service_down`, `worker_lost`).
 *
 * The minute's tick is incremental, so that its cost follows what changed, not what waits: it reconciles (as above)
 * only the communes whose schedules or speakers changed since its previous run, plans the other schedules over the
 * minute their horizon moved on, and queues the slots it added. The whole plan is reconciled at start, every
 * FULL_RECONCILE_MS, and after a Redis loss (RedisLossReplanner); a change this process cannot see (a speaker deleted
 * with its playbacks) needs nothing more.
 */
@Injectable()
export class PlaybackPlanner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PlaybackPlanner.name);
  private stopping = false;
  private running: Promise<unknown> = Promise.resolve();
  private leases: SpeakerLeases | null = null;
  private progress: PlanProgress | null = null;

  constructor(
    @InjectRepository(Schedule) private readonly schedules: Repository<Schedule>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly playbacks: PlaybackRepository,
    @InjectQueue(QueueName.Playback) private readonly queue: Queue<PlaybackJobPayloads[PlaybackJobName], unknown, PlaybackJobName>,
    private readonly speakers: ScheduleSpeakers,
    private readonly config: AppConfig,
    private readonly airtime: AirtimeRecorder,
    private readonly recurrence: RecurrenceEngine,
    private readonly quarantine: ScheduleQuarantine,
    private readonly holds: ScheduleHolds,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.planner.enabled) return void this.logger.log('Planner is off (PLANNER)');
    this.logger.log({ horizonHours: this.config.planner.horizonHours }, 'Planner started');
    // At once, so a restart rebuilds the queue without waiting for the minute; then on every minute.
    this.tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearNamedTimer(this.scheduler, 'timeout', PLANNER_TICK);
    await this.running;
    await this.airtime.drain();
  }

  private tick(): void {
    if (this.stopping) return;
    this.running = this.tickOnce()
      .catch((error: unknown) => this.logger.error({ err: error }, 'Planning failed; next minute retries'))
      .finally(() => {
        if (!this.stopping) setNamedTimeout(this.scheduler, PLANNER_TICK, msUntilNextMinute(new Date()), () => this.tick());
      });
  }

  /** Reconciles the whole plan (of `options.communeIds` only, when given) with the schedules as they are now. */
  planOnce(options: PlanOptions = {}): Promise<PlanReport> {
    return this.locked(() => this.reconcile(options));
  }

  /** The minute's run: incremental while the last full reconciliation is recent, else a full one. */
  tickOnce(): Promise<PlanReport> {
    const progress = this.progress;
    if (!progress || Date.now() - progress.fullAt >= FULL_RECONCILE_MS) return this.planOnce();
    return this.locked(() => this.advance(progress));
  }

  private async locked(run: () => Promise<PlanReport & { planned: true }>): Promise<PlanReport> {
    if (this.stopping) return { planned: false, reason: 'shutting down' };
    const result = await withAdvisoryLock(this.dataSource, PLANNER_LOCK, run);
    if (!result.acquired) return { planned: false, reason: 'another instance is planning' };
    const report = result.value;
    if (report.inserted + report.withdrawn + report.cancelled + report.missed + report.skipped > 0) this.logger.log(report, 'Planned playbacks');
    return report;
  }

  /**
   * Plans one commune now, waiting up to `waitMs` while another run holds the lock (that run may have read the
   * commune's schedules before the change being followed). Answers whether it planned; if not, the next tick does.
   */
  async planCommuneNow(communeId: string, waitMs: number): Promise<boolean> {
    return this.planWhenFree({ communeIds: [communeId] }, waitMs);
  }

  /** Plans now (every commune unless `options` narrow it), waiting up to `waitMs` for the lock; answers whether it planned. */
  async planWhenFree(options: PlanOptions, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const report = await this.planOnce(options);
      if (report.planned) return true;
      if (Date.now() > deadline || report.reason === 'shutting down') return false;
      await sleep(LOCK_POLL_MS);
    }
  }

  /** A full run; an unscoped one records how far it planned, for the incremental ticks after it. */
  private async reconcile(options: PlanOptions): Promise<PlanReport & { planned: true }> {
    const changesAfter = await this.databaseNow();
    const report = await this.plan(options);
    // A schedule skipped for a passing failure is planned by the next full run, which the next tick then is.
    if (!options.communeIds) this.progress = report.skipped === 0 ? { plannedUntil: report.until, changesAfter, fullAt: Date.now() } : null;
    return report;
  }

  /**
   * An incremental tick: the communes whose schedules or speakers changed since the previous run are reconciled in
   * full; every other active schedule is planned from where the previous run stopped to the horizon, and the slots
   * this added are queued. A schedule that could not be expanded keeps the progress where it was, so the next tick
   * plans that stretch again.
   */
  private async advance(progress: PlanProgress): Promise<PlanReport & { planned: true }> {
    const changesAfter = await this.databaseNow();
    const since = new Date(progress.changesAfter.getTime() - CHANGE_OVERLAP_MS);
    // A schedule held now (a bulletin withdrawn by a process that died before re-planning) changes, so its commune is reconciled.
    await this.holds.holdWithdrawn();
    const changed = await this.changedCommunes(since);
    const reconciled = changed.length > 0 ? await this.plan({ communeIds: changed }) : null;
    const now = new Date();
    const until = new Date(now.getTime() + this.config.planner.horizonHours * 3_600_000);
    const active = await this.schedules.find({
      where: { status: ScheduleStatus.Active, quarantinedAt: IsNull(), ...(changed.length > 0 ? { communeId: Not(In(changed)) } : {}) },
    });
    const occurrences = await Promise.all(active.map((schedule) => this.occurrencesIn(schedule, progress.plannedUntil, until, now)));
    const due = active.filter((_, index) => (occurrences[index]?.length ?? 0) > 0);
    const targets = await this.speakers.resolve(due.map((schedule) => schedule.id));
    const rows = ([] as PlannedPlayback[]).concat(
      ...active.map((schedule, index) => planPlaybacks(schedule, targets.get(schedule.id) ?? [], occurrences[index] ?? [])),
    );
    let inserted = reconciled?.inserted ?? 0;
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) inserted += await this.playbacks.insertPlanned(rows.slice(start, start + INSERT_CHUNK));
    const missed = await this.missStale({});
    const queued = await this.queueSlots(await this.playbacks.plannedSlots(until), until, {});
    const skipped = occurrences.filter((found) => found === null).length;
    if (skipped === 0) this.progress = { plannedUntil: until, changesAfter, fullAt: progress.fullAt };
    return {
      planned: true,
      mode: 'incremental',
      schedules: (reconciled?.schedules ?? 0) + active.length,
      inserted,
      queued: (reconciled?.queued ?? 0) + queued,
      withdrawn: reconciled?.withdrawn ?? 0,
      cancelled: reconciled?.cancelled ?? 0,
      missed: (reconciled?.missed ?? 0) + missed,
      skipped: (reconciled?.skipped ?? 0) + skipped,
    };
  }

  /** Communes with a schedule or a speaker changed since `since`. */
  private async changedCommunes(since: Date): Promise<string[]> {
    const schedules = (await this.schedules
      .createQueryBuilder('s')
      .select('DISTINCT s.commune_id', 'commune_id')
      .where('s.updated_at > :since', { since })
      .getRawMany()) as Array<{ commune_id: string }>;
    return [...new Set([...schedules.map((row) => row.commune_id), ...(await this.speakers.communesWithChangesSince(since))])];
  }

  /** A schedule's occurrences from `from` (never before its planning window) to `until`; null if it cannot be expanded now. */
  private async occurrencesIn(schedule: Schedule, from: Date, until: Date, now: Date): Promise<Occurrence[] | null> {
    const window = planningWindow(schedule, now, until.getTime() - now.getTime());
    const start = new Date(Math.max(from.getTime(), window.from.getTime()));
    if (start >= until) return [];
    try {
      return await this.recurrence.between(schedule, start, until);
    } catch (error) {
      if (error instanceof RecurrenceError) await this.quarantine.quarantine(schedule.id, error.message);
      else this.logger.error({ err: error, scheduleId: schedule.id }, 'Schedule could not be expanded; next minute retries');
      return null;
    }
  }

  private async databaseNow(): Promise<Date> {
    const [{ now }] = (await this.dataSource.query('SELECT now() AS now')) as Array<{ now: Date }>;
    return now;
  }

  private async plan(options: PlanOptions): Promise<PlanReport & { planned: true; until: Date }> {
    const now = new Date();
    const horizonMs = this.config.planner.horizonHours * 3_600_000;
    // First: a schedule naming a rejected or archived bulletin is held, so its waiting playbacks are withdrawn below.
    await this.holds.holdWithdrawn(options.communeIds);
    const active = await this.schedules.find({
      where: { status: ScheduleStatus.Active, quarantinedAt: IsNull(), ...(options.communeIds ? { communeId: In(options.communeIds) } : {}) },
    });
    const targets = await this.speakers.resolve(active.map((schedule) => schedule.id));
    const plans = await Promise.all(active.map((schedule) => this.expand(schedule, targets.get(schedule.id) ?? [], now, horizonMs)));
    const expanded = active.filter((_, index) => plans[index] !== null);
    // concat, not push(...): a province-wide week is more rows than a call's argument list can hold.
    const rows = ([] as PlannedPlayback[]).concat(...plans.filter((plan) => plan !== null));
    const cancelled = await this.cancelWithdrawn(options);
    const missed = await this.missStale(options);
    const withdrawn = await this.withdrawUnplanned(expanded, rows, now, horizonMs);
    await this.playbacks.followSchedules(expanded.map((schedule) => schedule.id));
    // Read after the withdrawals: an occurrence they emptied is planned whole again.
    const insertable = withoutNewcomers(rows, await this.releasedOccurrences(rows));
    let inserted = 0;
    for (let start = 0; start < insertable.length; start += INSERT_CHUNK)
      inserted += await this.playbacks.insertPlanned(insertable.slice(start, start + INSERT_CHUNK));
    const until = new Date(now.getTime() + horizonMs);
    const queued = await this.queueWaiting(until, options);
    return {
      planned: true,
      mode: 'full',
      until,
      schedules: active.length,
      inserted,
      queued,
      withdrawn,
      cancelled,
      missed,
      skipped: active.length - expanded.length,
    };
  }

  /**
   * One schedule's playbacks over its planning window, expanded on RecurrenceEngine's threads under their budget. A
   * rule that cannot be expanded quarantines its schedule; any other failure (the threads themselves) skips it for
   * this run. Either answers null, and every other schedule plans as usual.
   */
  private async expand(schedule: Schedule, speakers: PlanningSpeaker[], now: Date, horizonMs: number): Promise<PlannedPlayback[] | null> {
    if (speakers.length === 0) return [];
    const window = planningWindow(schedule, now, horizonMs);
    try {
      return planPlaybacks(schedule, speakers, await this.recurrence.between(schedule, window.from, window.to));
    } catch (error) {
      if (error instanceof RecurrenceError) await this.quarantine.quarantine(schedule.id, error.message);
      else this.logger.error({ err: error, scheduleId: schedule.id }, 'Schedule could not be expanded; next minute retries');
      return null;
    }
  }

  /**
   * Deletes the waiting playbacks of these schedules that lie inside the run's window but not in its plan: the
   * schedule was edited, or its speaker disabled, since they were planned. Jobs of village slots left with nothing
   * waiting are withdrawn. A playback a worker took meanwhile is no longer waiting and is left alone.
   */
  private async withdrawUnplanned(schedules: Schedule[], rows: PlannedPlayback[], now: Date, horizonMs: number): Promise<number> {
    if (schedules.length === 0) return 0;
    // Compared here, not in SQL: an anti-join against a province's plan passed as arrays is planned as a nested loop.
    const waiting = await this.playbacks.waitingInWindows(schedules.map((schedule) => ({ scheduleId: schedule.id, ...planningWindow(schedule, now, horizonMs) })));
    const planned = new Set(rows.map((row) => planKey(row.scheduleId, row.speakerId, row.scheduledAt, row.villageId)));
    const unplanned = waiting.filter((row) => !planned.has(planKey(row.schedule_id, row.speaker_id, row.scheduled_at, row.village_id)));
    if (unplanned.length === 0) return 0;
    // Guarded by status: a playback a worker took meanwhile is on air and no longer this run's to withdraw.
    const deleted = await this.playbacks.withdrawWaiting(unplanned.map((row) => row.id));
    // A village slot keeps its job while another of its speakers still waits (the slot lies wholly in the window).
    const gone = new Set(deleted.map((row) => row.id));
    const stillWaiting = new Set(waiting.filter((row) => !gone.has(row.id)).map(slotJobId));
    await this.removeJobs(new Set(deleted.map(slotJobId).filter((jobId) => !stillWaiting.has(jobId))));
    if (deleted.length > 0) this.logger.log({ withdrawn: deleted.length }, 'Withdrew playbacks that edited schedules no longer plan');
    return deleted.length;
  }

  /**
   * The occurrences of the plan already released (or past) that have playbacks, as occurrence keys: they belong to
   * the speakers they were released with. Read once, before the first chunk is inserted, so that a fresh occurrence
   * split across chunks is still planned whole.
   */
  private async releasedOccurrences(rows: PlannedPlayback[]): Promise<Set<string>> {
    const candidates = releasedCandidates(rows, releasedUntil(new Date()));
    if (candidates.length === 0) return new Set();
    const released = await this.playbacks.occurrencesWithPlaybacks(candidates);
    return new Set(released.map((row) => occurrenceKey(row.schedule_id, row.scheduled_at)));
  }

  /**
   * Every village slot up to the horizon with a playback still waiting gets its job (a no-op for the ids BullMQ
   * already holds, active or kept after completion), and so does a slot with an attempt unfinished within its grace
   * whose speaker no lease holds for it: its worker died, and its job may have been lost with Redis. An attempt whose
   * lease still names it is being played by a live worker (which put its lease back if Redis lost it), and is left to
   * that worker: a second job would only wait for it, or play it twice.
   */
  private async queueWaiting(until: Date, options: PlanOptions): Promise<number> {
    const found = await this.playbacks.slotsToDispatch(until, options.communeIds);
    const unheld = await this.unheldAttempts(found);
    const retaken = (slot: QueuedSlotRow): boolean => slot.unfinished.some((playbackId) => unheld.has(playbackId));
    return this.queueSlots(
      found.filter((slot) => slot.waiting > 0 || retaken(slot)),
      until,
      options,
      retaken,
    );
  }

  /** Queues these slots' jobs (each due DISPATCH_LEAD_MS before its instant), then marks their `planned` playbacks `queued`. */
  private async queueSlots(slots: QueuedSlotRow[], until: Date, options: PlanOptions, retaken: (slot: QueuedSlotRow) => boolean = () => false): Promise<number> {
    if (slots.length === 0) return 0;
    const now = new Date();
    for (let start = 0; start < slots.length; start += JOB_CHUNK) {
      await this.queue.addBulk(
        slots.slice(start, start + JOB_CHUNK).map((slot) => {
          const village = { scheduleId: slot.schedule_id, scheduledAt: slot.scheduled_at, villageId: slot.village_id };
          return {
            name: PlaybackJobName.DispatchVillage,
            data: { scheduleId: village.scheduleId, scheduledAt: village.scheduledAt.toISOString(), villageId: village.villageId },
            opts: {
              jobId: villageJobId(village),
              delay: Math.max(dispatchDelayMs(village.scheduledAt, now), retaken(slot) ? RETAKE_DELAY_MS : 0),
              // Kept a day, so that queuing a slot that already ran is a no-op.
              removeOnComplete: { age: 24 * 3600 },
              // A job that threw (say PostgreSQL was away) is dropped, so the next tick queues its slot again.
              removeOnFail: true,
            },
          };
        }),
      );
    }
    await this.playbacks.markQueued(until, options.communeIds);
    return slots.reduce((sum, slot) => sum + slot.waiting, 0);
  }

  /** The unfinished attempts of these slots whose speaker no lease holds for them, by playback id. */
  private async unheldAttempts(slots: QueuedSlotRow[]): Promise<Set<string>> {
    const claims = slots.flatMap((slot) => slot.unfinished.map((playbackId, index) => ({ playbackId, speakerId: slot.unfinished_speakers[index] })));
    const leases = await this.leaseStore();
    const unheld = new Set<string>();
    for (let start = 0; start < claims.length; start += JOB_CHUNK) {
      const chunk = claims.slice(start, start + JOB_CHUNK);
      const held = await leases.heldFor(chunk);
      chunk.forEach((claim, index) => {
        if (!held[index]) unheld.add(claim.playbackId);
      });
    }
    return unheld;
  }

  /**
   * Ends what can no longer play. A playback still waiting SERVICE_DOWN_MARGIN_MS after its grace was never
   * dispatched (no worker, no Redis, no job): `missed`, reason `service_down`. An attempt still unfinished long after
   * its grace and its program's length lost its worker and its job: `failed`, reason `worker_lost`.
   */
  private async missStale(options: PlanOptions): Promise<number> {
    const missed = await this.playbacks.missServiceDown(SERVICE_DOWN_MARGIN_MS, options.communeIds);
    const lost = await this.playbacks.failWorkerLost(WORKER_LOST_MARGIN_MS, options.communeIds);
    for (const row of missed) this.airtime.record(staleSubject(row), { event: 'missed', occurredAt: new Date(), evidence: { reason: 'service_down' } });
    for (const row of lost) this.airtime.record(staleSubject(row), { event: 'failed', occurredAt: new Date(), evidence: { reason: 'worker_lost' } });
    if (missed.length + lost.length > 0) this.logger.warn({ serviceDown: missed.length, workerLost: lost.length }, 'Stale playbacks ended');
    return missed.length + lost.length;
  }

  /**
   * Withdraws the waiting playbacks of schedules no longer active, with their jobs. A paused or quarantined
   * schedule's are deleted: they were only plans, and resuming (or editing the timing) plans the slots again. A
   * cancelled schedule's become `cancelled`, which reports keep.
   */
  private async cancelWithdrawn(options: PlanOptions): Promise<number> {
    const paused = await this.playbacks.withdrawOfPausedSchedules(options.communeIds);
    const cancelled = await this.playbacks.cancelOfCancelledSchedules(options.communeIds);
    const withdrawn = [...paused, ...cancelled];
    await this.removeJobs(new Set(withdrawn.map(slotJobId)));
    return withdrawn.length;
  }

  private async leaseStore(): Promise<SpeakerLeases> {
    // BullMQ's client is an ioredis instance; its typings only name the commands BullMQ itself uses.
    this.leases ??= new SpeakerLeases((await this.queue.client) as unknown as LeaseRedis, this.config.redis.queuePrefix);
    return this.leases;
  }

  /** Removes these dispatch jobs. A job already running keeps its lock and finds its playbacks withdrawn. */
  private async removeJobs(jobIds: Iterable<string>): Promise<void> {
    for (const jobId of jobIds)
      await this.queue.remove(jobId).catch((error: unknown) => this.logger.warn({ err: error, jobId }, 'Could not withdraw a dispatch job'));
  }
}

/** The dispatch job of the village slot a playback belongs to. */
function slotJobId(row: VillageSlotRow): string {
  return villageJobId({ scheduleId: row.schedule_id, scheduledAt: row.scheduled_at, villageId: row.village_id });
}

function planKey(scheduleId: string, speakerId: string, scheduledAt: Date, villageId: string): string {
  return `${scheduleId}/${speakerId}/${scheduledAt.getTime()}/${villageId}`;
}
