import { MarkerRedis, RedisLossMarker } from './redis-loss-marker';

/** A Redis of one keyspace that can lose everything, as FLUSHALL does. */
class FakeRedis implements MarkerRedis {
  readonly keys = new Map<string, string>();

  async set(key: string, value: string, mode: 'NX'): Promise<'OK' | null> {
    if (mode === 'NX' && this.keys.has(key)) return null;
    this.keys.set(key, value);
    return 'OK';
  }
}

describe('RedisLossMarker', () => {
  it('hears of a new Redis, then of nothing while the marker stays, then of each loss once', async () => {
    const redis = new FakeRedis();
    const marker = new RedisLossMarker(redis, 'loa:redis-marker');
    expect(await marker.lost()).toBe(true);
    expect(await marker.lost()).toBe(false);
    redis.keys.clear();
    expect(await marker.lost()).toBe(true);
    expect(await marker.lost()).toBe(false);
  });

  it('tells one of several instances looking at the same Redis about a loss', async () => {
    const redis = new FakeRedis();
    const instances = [new RedisLossMarker(redis, 'loa:redis-marker'), new RedisLossMarker(redis, 'loa:redis-marker')];
    await instances[0].lost();
    redis.keys.clear();
    expect(await Promise.all(instances.map((instance) => instance.lost()))).toEqual([true, false]);
  });
});
