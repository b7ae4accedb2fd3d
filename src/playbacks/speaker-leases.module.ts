import { getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { QueueName } from '../queue/queue.constants';
import { LeaseRedis, SpeakerLeases } from './speaker-lease';

/**
 * The playback queue's Redis connection as the few commands a lease needs. Each command waits for the connection
 * (BullMQ's client is an ioredis instance, ready once connected), so the process starts while Redis is away.
 */
function leaseRedis(queue: Queue): LeaseRedis {
  // BullMQ's typings only name the commands BullMQ itself uses.
  const client = async () => (await queue.client) as unknown as LeaseRedis;
  return {
    get: async (key) => (await client()).get(key),
    mget: async (...keys) => (await client()).mget(...keys),
    eval: async (script, keys, ...args) => (await client()).eval(script, keys, ...args),
  };
}

/** The speakers' leases (one broadcast per speaker at a time): one store per process, for the dispatcher and for stops. */
@Module({
  providers: [
    {
      provide: SpeakerLeases,
      inject: [getQueueToken(QueueName.Playback), AppConfig],
      useFactory: (queue: Queue, config: AppConfig) => new SpeakerLeases(leaseRedis(queue), config.redis.queuePrefix),
    },
  ],
  exports: [SpeakerLeases],
})
export class SpeakerLeasesModule {}
