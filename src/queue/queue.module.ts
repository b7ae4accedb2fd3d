import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { redisConnectionOptions } from './redis-connection';
import { QueueName } from './queue.constants';
import { QueueWorkers } from './queue-workers';

/**
 * The BullMQ connection, the queues every role may produce to, and the one way to start a consumer (QueueWorkers).
 * Consumers live in their feature modules.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisConnectionOptions(config.redis.url),
        prefix: config.redis.queuePrefix,
      }),
    }),
    BullModule.registerQueue({ name: QueueName.Audio }, { name: QueueName.Playback }),
  ],
  providers: [QueueWorkers],
  exports: [BullModule, QueueWorkers],
})
export class QueueModule {}
