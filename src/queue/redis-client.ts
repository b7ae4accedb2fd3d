import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { redisConnectionOptions } from './redis-connection';

export const REDIS_CLIENT = 'loa:redis-client';
export const InjectRedis = () => Inject(REDIS_CLIENT);

/**
 * A Redis connection for request-time work (login throttling, token revocation). Unlike the queue
 * connections it fails fast when Redis is down, so a request answers an error instead of hanging.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new Redis({ ...redisConnectionOptions(config.redis.url), maxRetriesPerRequest: 1, lazyConnect: false }),
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisClientModule implements OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
