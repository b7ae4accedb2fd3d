import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { setMaxListeners } from 'node:events';
import { AppConfig } from '../config/app-config';
import { JobOutcome, PlaybackJobName, PlaybackJobPayloads, QueueName } from '../queue/queue.constants';
import { QueueConsumer, QueueWorkers } from '../queue/queue-workers';
import { AirtimeRecorder } from './dispatch/airtime-recorder';
import { LeaseWatch } from './dispatch/lease-watch';
import { StagingGate } from './dispatch/staging-gate';
import { PlaybackDispatcher } from './playback-dispatcher';
import { SpeakerLeases } from './speaker-lease';

type PlaybackJob = Job<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName>;

/**
 * Village jobs one worker process holds at once: staging, waiting for their instant, or on air. Not a setting to tune
 * for the number of villages: a held job costs memory only (its lock is renewed with all the others in one Redis
 * call), and 10,000 villages of 50 are 500,000 speakers, past what one process can open connections to at one instant.
 */
export const VILLAGES_HELD = 10_000;

/**
 * Consumes the `playback` queue (worker role): one job per village slot, arriving DISPATCH_LEAD_MS before its instant
 * and held until every playback of the village has ended, so that a worker's death leaves a stalled job that BullMQ
 * hands to another. Only staging counts against PLAYBACK_WORKER_CONCURRENCY (the staging gate): a staged village waits
 * for its instant outside it, so however many villages share an instant, every one is staged ahead and released on it.
 */
@Injectable()
export class PlaybackWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PlaybackWorker.name);
  private consumer: QueueConsumer<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName> | null = null;
  private readonly stopping = new AbortController();
  private readonly staging: StagingGate;
  private watch: LeaseWatch | null = null;

  constructor(
    private readonly dispatcher: PlaybackDispatcher,
    private readonly airtime: AirtimeRecorder,
    private readonly leases: SpeakerLeases,
    private readonly workers: QueueWorkers,
    private readonly config: AppConfig,
  ) {
    this.staging = new StagingGate(config.playback.workerConcurrency);
  }

  onApplicationBootstrap(): void {
    // Every village job waiting for its instant listens for the stop: hundreds at once is the normal case.
    setMaxListeners(0, this.stopping.signal);
    this.watch = new LeaseWatch(this.leases, this.stopping.signal);
    this.consumer = this.workers.start<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName>(
      QueueName.Playback,
      (job, token) => this.process(job, token),
      { concurrency: VILLAGES_HELD },
    );
  }

  /** Running broadcasts get SHUTDOWN_GRACE_MS to end; then they are stopped and recorded as failed (interrupted). */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.consumer) return;
    await this.consumer.close(() => {
      this.logger.warn('Stopping unfinished playbacks');
      this.stopping.abort(new Error('the worker shut down'));
    });
    this.watch?.stop();
    // The last outcomes' airtime entries are committed while the database is still open.
    await this.airtime.drain();
  }

  private async process(job: PlaybackJob, token?: string): Promise<JobOutcome> {
    const { scheduleId, scheduledAt, villageId } = job.data;
    let leave: () => void;
    try {
      leave = await this.staging.enter(this.stopping.signal);
    } catch (error) {
      // Stopped before its turn to stage: nothing was done, another worker takes the job at once.
      return this.putBack(job, token, error);
    }
    const slot = { scheduleId, scheduledAt: new Date(scheduledAt), villageId };
    const report = await this.dispatcher.dispatchVillage(slot, this.leases, this.watch!, this.stopping.signal, leave).finally(leave);
    // Stopped before some playbacks went on air: another worker takes the job (and them) at once.
    if (report.abandoned > 0) return this.putBack(job, token, new Error('the worker shut down'));
    if (report.playbacks === 0) return JobOutcome.Skipped;
    return (report.outcomes.failed ?? 0) + (report.outcomes.missed ?? 0) > 0 ? JobOutcome.Failed : JobOutcome.Done;
  }

  private async putBack(job: PlaybackJob, token: string | undefined, reason: unknown): Promise<never> {
    if (!token) throw reason;
    await job.moveToDelayed(Date.now(), token);
    throw new DelayedError();
  }
}
