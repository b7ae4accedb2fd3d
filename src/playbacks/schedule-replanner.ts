import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { BulletinWithdrawal, BulletinWithdrawals } from '../bulletins/bulletin-withdrawals';
import { ScheduleChange, ScheduleChanges } from '../schedules/schedule-changes';
import { PlaybackPlanner } from './playback-planner';

/** How long a change waits for the planner lock held by a tick or another instance. */
const LOCK_WAIT_MS = 15_000;

/**
 * Makes a schedule's plan follow its changes at once, not at the next tick: every committed change plans its
 * commune before the request answers. The planning run withdraws what the change made stale (another instant, a
 * speaker no longer targeted, a paused or cancelled schedule), updates priority and grace, and adds new occurrences.
 * A bulletin rejected or archived plans its commune the same way: the run holds the schedules that name it and
 * withdraws their waiting playbacks and jobs.
 *
 * It runs under the planner's lock: a tick that read the schedule before the change has then finished, and every
 * later run reads the change. If the lock stays busy, or PostgreSQL is away, the next tick does the same work, so a
 * change never depends on this process living on.
 */
@Injectable()
export class ScheduleReplanner implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduleReplanner.name);
  private unsubscribe: Array<() => void> = [];

  constructor(
    private readonly changes: ScheduleChanges,
    private readonly withdrawals: BulletinWithdrawals,
    private readonly planner: PlaybackPlanner,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = [this.changes.subscribe((change) => this.follow(change)), this.withdrawals.subscribe((withdrawal) => this.follow(withdrawal))];
  }

  onApplicationShutdown(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }

  private async follow(change: ScheduleChange | BulletinWithdrawal): Promise<void> {
    if (!(await this.planner.planCommuneNow(change.communeId, LOCK_WAIT_MS))) {
      this.logger.log(change, 'Schedule change left to the next planner tick');
    }
  }
}
