import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { clearNamedTimer, setNamedInterval } from '../common/named-timers';
import { AppConfig } from '../config/app-config';
import { LOA_LOCK_NAMESPACE, withAdvisoryLock } from '../speakers/health/advisory-lock';
import { AirtimeCheckpoints } from './airtime-checkpoints';

/** Held while one instance writes the periodic checkpoints; the others skip that round. */
export const AIRTIME_CHECKPOINT_LOCK = [LOA_LOCK_NAMESPACE, 60] as const;
/** The timer's name in Nest's SchedulerRegistry. */
export const AIRTIME_CHECKPOINT_TIMER = 'airtime-checkpoints';

/**
 * Every AIRTIME_CHECKPOINT_INTERVAL_MINUTES, signs the head of every chain that grew since its last checkpoint
 * (api role; 0 turns it off). A chain that no longer extends its last checkpoint is not signed, and raises the alarm
 * again every round. A failed round is logged and the next one tries again.
 */
@Injectable()
export class AirtimeCheckpointTimer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AirtimeCheckpointTimer.name);
  private round: Promise<unknown> = Promise.resolve();
  private writing = false;

  constructor(
    private readonly checkpoints: AirtimeCheckpoints,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.config.airtime.checkpointIntervalMinutes;
    if (this.config.airtime.developmentSigningKey) {
      this.logger.warn('AIRTIME_SIGNING_KEY is not set: airtime checkpoints are signed with a development key that is not secret');
    }
    if (minutes === 0) return void this.logger.log('Periodic airtime checkpoints are off (AIRTIME_CHECKPOINT_INTERVAL_MINUTES=0)');
    setNamedInterval(this.scheduler, AIRTIME_CHECKPOINT_TIMER, minutes * 60_000, () => {
      // A round still running when the next is due: that one is skipped, never run beside it.
      if (!this.writing) this.round = this.writeOnce();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearNamedTimer(this.scheduler, 'interval', AIRTIME_CHECKPOINT_TIMER);
    await this.round;
  }

  private async writeOnce(): Promise<void> {
    this.writing = true;
    try {
      const run = await withAdvisoryLock(this.dataSource, AIRTIME_CHECKPOINT_LOCK, async () => {
        const round = await this.checkpoints.prepare(null, true);
        return this.checkpoints.sign(round.heads);
      });
      if (run.acquired && run.value.length > 0) this.logger.log({ checkpoints: run.value.length }, 'Airtime checkpoints signed');
    } catch (error) {
      this.logger.error({ err: error }, 'Airtime checkpoints could not be written; the next round tries again');
    } finally {
      this.writing = false;
    }
  }
}
