import { Injectable, Logger } from '@nestjs/common';
import { Processor, Worker, WorkerOptions } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { closeWithGrace } from './close-with-grace';
import { QueueName } from './queue.constants';
import { redisConnectionOptions } from './redis-connection';
import { repeatedErrorLog } from './repeated-error-log';

/** What a consumer chooses; the connection, the prefix and the error log are the same for every queue. */
export type ConsumerOptions = Omit<WorkerOptions, 'connection' | 'prefix' | 'autorun'>;

/** A running consumer of one queue, and the one way it closes. */
export class QueueConsumer<Payload, Outcome, Name extends string> {
  constructor(
    readonly worker: Worker<Payload, Outcome, Name>,
    private readonly graceMs: number,
  ) {}

  /** Running jobs get SHUTDOWN_GRACE_MS to finish; past that, `stopRunning` ends them and the close completes once they have. */
  close(stopRunning: () => void): Promise<void> {
    return closeWithGrace(this.worker, this.graceMs, stopRunning);
  }
}

/**
 * Starts every queue's consumer the same way: its own Redis connection (workers block, so never the producers'),
 * the process's queue prefix, and connection errors logged once per window instead of every second while Redis is away.
 */
@Injectable()
export class QueueWorkers {
  constructor(private readonly config: AppConfig) {}

  start<Payload, Outcome, Name extends string>(
    queue: QueueName,
    processor: Processor<Payload, Outcome, Name>,
    options: ConsumerOptions,
  ): QueueConsumer<Payload, Outcome, Name> {
    const logger = new Logger(`${queue}-worker`);
    const worker = new Worker<Payload, Outcome, Name>(queue, processor, {
      ...options,
      connection: redisConnectionOptions(this.config.redis.url),
      prefix: this.config.redis.queuePrefix,
    });
    const label = `${queue[0].toUpperCase()}${queue.slice(1)} worker error`;
    worker.on(
      'error',
      repeatedErrorLog((error, repeats) => logger.error({ err: error, repeats }, label)),
    );
    return new QueueConsumer(worker, this.config.shutdownGraceMs);
  }
}
