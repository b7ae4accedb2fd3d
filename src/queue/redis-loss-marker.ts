/** The one Redis command the marker needs (ioredis signature). */
export interface MarkerRedis {
  set(key: string, value: string, mode: 'NX'): Promise<'OK' | null>;
}

/**
 * Tells whether Redis lost this service's data since the last look. A marker key under the queue prefix, written
 * once and never expiring, is gone after a FLUSHALL, a restart without persistence or a failover to an empty replica,
 * exactly like the queued jobs and the speaker leases. A look is one `SET NX`: it puts the marker back in the same
 * command, so of several instances looking, one hears of each loss.
 */
export class RedisLossMarker {
  constructor(
    private readonly redis: MarkerRedis,
    private readonly key: string,
  ) {}

  /** True when the marker was gone (it is back now): Redis lost everything since the last look, or is new. */
  async lost(): Promise<boolean> {
    return (await this.redis.set(this.key, new Date().toISOString(), 'NX')) === 'OK';
  }
}
