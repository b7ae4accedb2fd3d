import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { DelayedError, Job, Queue, Worker } from 'bullmq';
import { setMaxListeners } from 'node:events';
import { AppConfig } from '../config/app-config';
import { JobOutcome, PlaybackJobName, PlaybackJobPayloads, QueueName } from '../queue/queue.constants';
import { closeWithGrace } from '../queue/close-with-grace';
import { redisConnectionOptions } from '../queue/redis-connection';
import { repeatedErrorLog } from '../queue/repeated-error-log';
import { AirtimeRecorder } from './dispatch/airtime-recorder';
import { PlaybackDispatcher } from './playback-dispatcher';
import { LeaseRedis, SpeakerLeases } from './speaker-lease';

type PlaybackJob = Job<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName>;

/**
 * Consumes the `playback` queue (worker role): one job per village slot, arriving DISPATCH_LEAD_MS before its instant
 * and held until every playback of the village has ended. Concurrency is high: most jobs are waiting for their
 * instant, their speakers, or their programs to end, not working.
 */
@Injectable()
export class PlaybackWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PlaybackWorker.name);
  private worker: Worker<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName> | null = null;
  private readonly stopping = new AbortController();
  private leases: SpeakerLeases | null = null;

  constructor(
    private readonly dispatcher: PlaybackDispatcher,
    private readonly airtime: AirtimeRecorder,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Playback) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Every village job waiting for its instant listens for the stop: hundreds at once is the normal case.
    setMaxListeners(0, this.stopping.signal);
    // BullMQ's client is an ioredis instance; its typings only name the commands BullMQ itself uses.
    this.leases = new SpeakerLeases((await this.queue.client) as unknown as LeaseRedis, this.config.redis.queuePrefix);
    const worker = new Worker<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName>(QueueName.Playback, (job, token) => this.process(job, token), {
      connection: redisConnectionOptions(this.config.redis.url),
      prefix: this.config.redis.queuePrefix,
      concurrency: this.config.playback.workerConcurrency,
    });
    worker.on('error', repeatedErrorLog((error, repeats) => this.logger.error({ err: error, repeats }, 'Playback worker error')));
    this.worker = worker;
  }

  /** Running broadcasts get SHUTDOWN_GRACE_MS to end; then they are stopped and recorded as failed (interrupted). */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.worker) return;
    await closeWithGrace(this.worker, this.config.shutdownGraceMs, () => {
      this.logger.warn('Stopping unfinished playbacks');
      this.stopping.abort(new Error('the worker shut down'));
    });
    // The last outcomes' airtime entries are committed while the database is still open.
    await this.airtime.drain();
  }

  private async process(job: PlaybackJob, token?: string): Promise<JobOutcome> {
    const { scheduleId, scheduledAt, villageId } = job.data;
    const report = await this.dispatcher.dispatchVillage({ scheduleId, scheduledAt: new Date(scheduledAt), villageId }, this.leases!, this.stopping.signal);
    // Stopped before some playbacks went on air: another worker takes the job (and them) at once.
    if (report.abandoned > 0 && token) {
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    if (report.playbacks === 0) return JobOutcome.Skipped;
    return (report.outcomes.failed ?? 0) + (report.outcomes.missed ?? 0) > 0 ? JobOutcome.Failed : JobOutcome.Done;
  }
}
