import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { setMaxListeners } from 'node:events';
import { AppConfig } from '../config/app-config';
import { JobOutcome, PlaybackJobName, PlaybackJobPayloads, QueueName } from '../queue/queue.constants';
import { QueueConsumer, QueueWorkers } from '../queue/queue-workers';
import { AirtimeRecorder } from './dispatch/airtime-recorder';
import { PlaybackDispatcher } from './playback-dispatcher';
import { SpeakerLeases } from './speaker-lease';

type PlaybackJob = Job<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName>;

/**
 * Consumes the `playback` queue (worker role): one job per village slot, arriving DISPATCH_LEAD_MS before its instant
 * and held until every playback of the village has ended. Concurrency is high: most jobs are waiting for their
 * instant, their speakers, or their programs to end, not working.
 */
@Injectable()
export class PlaybackWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PlaybackWorker.name);
  private consumer: QueueConsumer<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName> | null = null;
  private readonly stopping = new AbortController();

  constructor(
    private readonly dispatcher: PlaybackDispatcher,
    private readonly airtime: AirtimeRecorder,
    private readonly leases: SpeakerLeases,
    private readonly workers: QueueWorkers,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Every village job waiting for its instant listens for the stop: hundreds at once is the normal case.
    setMaxListeners(0, this.stopping.signal);
    this.consumer = this.workers.start<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName>(
      QueueName.Playback,
      (job, token) => this.process(job, token),
      { concurrency: this.config.playback.workerConcurrency },
    );
  }

  /** Running broadcasts get SHUTDOWN_GRACE_MS to end; then they are stopped and recorded as failed (interrupted). */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.consumer) return;
    await this.consumer.close(() => {
      this.logger.warn('Stopping unfinished playbacks');
      this.stopping.abort(new Error('the worker shut down'));
    });
    // The last outcomes' airtime entries are committed while the database is still open.
    await this.airtime.drain();
  }

  private async process(job: PlaybackJob, token?: string): Promise<JobOutcome> {
    const { scheduleId, scheduledAt, villageId } = job.data;
    const report = await this.dispatcher.dispatchVillage({ scheduleId, scheduledAt: new Date(scheduledAt), villageId }, this.leases, this.stopping.signal);
    // Stopped before some playbacks went on air: another worker takes the job (and them) at once.
    if (report.abandoned > 0 && token) {
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    if (report.playbacks === 0) return JobOutcome.Skipped;
    return (report.outcomes.failed ?? 0) + (report.outcomes.missed ?? 0) > 0 ? JobOutcome.Failed : JobOutcome.Done;
  }
}
