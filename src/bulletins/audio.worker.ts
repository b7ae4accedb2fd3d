import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { FfmpegFailure } from '../media/ffmpeg.adapter';
import { SilentAudioError } from '../media/loudness-plan';
import { AudioJobName, AudioJobPayloads, JobOutcome, QueueName } from '../queue/queue.constants';
import { QueueConsumer, QueueWorkers } from '../queue/queue-workers';
import { BulletinRenderer } from './bulletin-renderer';

type AudioJob = Job<AudioJobPayloads[AudioJobName], JobOutcome, AudioJobName>;

function reasonFor(error: unknown): string {
  if (error instanceof SilentAudioError) return 'The audio is silent from start to end; upload a recording with speech';
  if (error instanceof FfmpegFailure) return `The audio could not be processed: ${error.message}`;
  return 'The audio could not be processed because of a server error; upload it again or ask the administrator';
}

/**
 * Consumes the `audio` queue (worker role), at most AUDIO_WORKER_CONCURRENCY renders at once in this process; the
 * bound is per process, so N worker processes render up to N × AUDIO_WORKER_CONCURRENCY at once, and the rest wait
 * in Redis with their bulletin `queued`. On shutdown, running renders get SHUTDOWN_GRACE_MS to finish;
 * then they are stopped and put back in the queue, so another worker picks them up and nothing is half-written.
 */
@Injectable()
export class AudioWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AudioWorker.name);
  private consumer: QueueConsumer<AudioJobPayloads[AudioJobName], JobOutcome, AudioJobName> | null = null;
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly renderer: BulletinRenderer,
    private readonly workers: QueueWorkers,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const lockDuration = this.config.audio.jobLockSeconds * 1000;
    this.consumer = this.workers.start<AudioJobPayloads[AudioJobName], JobOutcome, AudioJobName>(QueueName.Audio, (job, token) => this.process(job, token), {
      concurrency: this.config.audio.workerConcurrency,
      lockDuration,
      stalledInterval: lockDuration,
      maxStalledCount: 2,
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (!this.consumer) return;
    await this.consumer.close(() => {
      this.logger.warn({ jobs: [...this.running.keys()] }, 'Stopping unfinished audio jobs; they go back to the queue');
      for (const controller of this.running.values()) controller.abort();
    });
  }

  private async process(job: AudioJob, token?: string): Promise<JobOutcome> {
    const { bulletinId } = job.data;
    const controller = new AbortController();
    this.running.set(job.id ?? bulletinId, controller);
    try {
      return (await this.renderer.render(bulletinId, controller.signal)) ? JobOutcome.Done : JobOutcome.Skipped;
    } catch (error) {
      if (controller.signal.aborted && token) {
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      const lastAttempt = error instanceof SilentAudioError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.logger.error({ err: error, bulletinId, attempt: job.attemptsMade + 1 }, 'Rendering failed');
      if (!lastAttempt) throw error;
      await this.renderer.fail(bulletinId, reasonFor(error));
      return JobOutcome.Failed;
    } finally {
      this.running.delete(job.id ?? bulletinId);
    }
  }
}
