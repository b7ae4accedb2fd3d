import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { DelayedError, Job, Queue, Worker } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { JobOutcome, PlaybackJobName, PlaybackJobPayloads, QueueName } from '../queue/queue.constants';
import { closeWithGrace } from '../queue/close-with-grace';
import { redisConnectionOptions } from '../queue/redis-connection';
import { DispatchResult, PlaybackDispatcher } from './playback-dispatcher';
import { LeaseRedis, SpeakerLeases } from './speaker-lease';

type PlaybackJob = Job<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName>;

/**
 * Consumes the `playback` queue (worker role). Jobs arrive a little before their instant and wait in-process, so
 * concurrency is high: most jobs are waiting for their instant or for their speaker, not working.
 */
@Injectable()
export class PlaybackWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PlaybackWorker.name);
  private worker: Worker<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName> | null = null;
  private readonly stopping = new AbortController();
  private leases: SpeakerLeases | null = null;

  constructor(
    private readonly dispatcher: PlaybackDispatcher,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Playback) private readonly queue: Queue,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // BullMQ's client is an ioredis instance; its typings only name the commands BullMQ itself uses.
    this.leases = new SpeakerLeases((await this.queue.client) as unknown as LeaseRedis, this.config.redis.queuePrefix);
    const worker = new Worker<PlaybackJobPayloads[PlaybackJobName], JobOutcome, PlaybackJobName>(QueueName.Playback, (job, token) => this.process(job, token), {
      connection: redisConnectionOptions(this.config.redis.url),
      prefix: this.config.redis.queuePrefix,
      concurrency: this.config.playback.workerConcurrency,
    });
    worker.on('error', (error) => this.logger.error({ err: error }, 'Playback worker error'));
    this.worker = worker;
  }

  /** Running broadcasts get SHUTDOWN_GRACE_MS to end; then they are stopped and recorded as failed (interrupted). */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.worker) return;
    await closeWithGrace(this.worker, this.config.shutdownGraceMs, () => {
      this.logger.warn('Stopping unfinished playbacks');
      this.stopping.abort(new Error('the worker shut down'));
    });
  }

  private async process(job: PlaybackJob, token?: string): Promise<JobOutcome> {
    let result: DispatchResult;
    try {
      result = await this.dispatcher.dispatch(job.data.playbackId, this.leases!, this.stopping.signal);
    } catch (error) {
      // Stopped while waiting for its instant, before any attempt: another worker takes it at once.
      if (this.stopping.signal.aborted && token) {
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      throw error;
    }
    if (result.outcome === 'retry' && token) {
      await job.moveToDelayed(result.retryAt, token);
      throw new DelayedError();
    }
    if (result.outcome === 'skipped') return JobOutcome.Skipped;
    // Pre-empted by an emergency: recorded, nothing to retry.
    if (result.outcome === 'preempted') return JobOutcome.Done;
    return result.outcome === 'failed' || result.outcome === 'missed' ? JobOutcome.Failed : JobOutcome.Done;
  }
}
