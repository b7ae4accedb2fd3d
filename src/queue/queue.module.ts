import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { redisConnectionOptions } from './redis-connection';
import { QueueName } from './queue.constants';

/** The BullMQ connection and the queues every role may produce to. Consumers live in their feature modules. */
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
  exports: [BullModule],
})
export class QueueModule {}
