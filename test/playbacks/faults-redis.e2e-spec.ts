import Redis from 'ioredis';
import { startTestApp, TestApp } from '../support/test-app';
import { FaultStage, until, VAPIX_SPEAKER } from './faults-kit';

/** A 16 s bulletin is 8 s on air on the speakers (modelled from VAPIX). */
const TIME_SCALE = 0.5;

/**
 * Fault: Redis loses everything (FLUSHALL, or a restart without persistence). Other engineers' and CI's test runs
 * share this Redis, so a real FLUSHALL would wipe their queues too: the test deletes every key under its own queue
 * prefix instead, which is everything this service keeps in Redis (jobs, schedulers, speaker leases and fences).
 * For the service under test that is indistinguishable from FLUSHALL.
 */
describe('Fault: Redis loses all of this service’s data', () => {
  let loa: TestApp;
  let stage: FaultStage;
  let redis: Redis;
  let bulletinId: string;

  beforeAll(async () => {
    loa = await startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
    redis = new Redis(loa.config.redis.url);
    bulletinId = await stage.approvedBulletin(16);
  });

  afterAll(async () => {
    redis?.disconnect();
    await stage?.close();
    await loa?.close();
  });

  /** Deletes every key of this service (its queue prefix); answers how many there were. */
  async function loseEverything(): Promise<number> {
    let deleted = 0;
    for await (const keys of redis.scanStream({ match: `${loa.config.redis.queuePrefix}:*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) deleted += await redis.del(...keys);
    }
    return deleted;
  }

  const keysLeft = async () => (await redis.keys(`${loa.config.redis.queuePrefix}:*`)).length;

  it('before the instant: one planner tick queues every future playback again, and each plays once', async () => {
    const speakers = [await stage.axisSpeaker(undefined, VAPIX_SPEAKER), await stage.axisSpeaker(loa.places.neighbourVillage.id, VAPIX_SPEAKER)];
    const scheduleId = await stage.schedule(
      [bulletinId],
      speakers.map((speaker) => speaker.id),
      new Date(Date.now() + 25_000),
      { misfireGraceSeconds: 120 },
    );
    expect(await loseEverything()).toBeGreaterThan(0);
    expect(await keysLeft()).toBe(0);

    expect(await stage.plan()).toMatchObject({ planned: true, inserted: 0 });
    const settled = await stage.settled([scheduleId], 120_000);
    expect(settled.map((row) => row.status)).toEqual(['played', 'played']);
    await stage.expectSound([scheduleId], speakers);
  }, 180_000);

  it('mid-air: what was on air is never replayed, and what was still to come plays once', async () => {
    const onAir = await stage.axisSpeaker(undefined, VAPIX_SPEAKER);
    const later = await stage.axisSpeaker(undefined, VAPIX_SPEAKER);
    const now = await stage.schedule([bulletinId], [onAir.id], new Date(Date.now() + 8_000), { misfireGraceSeconds: 120 });
    const next = await stage.schedule([bulletinId], [later.id], new Date(Date.now() + 30_000), { misfireGraceSeconds: 120 });
    await until(
      async () => (onAir.device.transmissions.some((transmission) => transmission.outcome === 'receiving') ? true : null),
      60_000,
      'the first speaker on air',
    );

    expect(await loseEverything()).toBeGreaterThan(0);
    expect(await stage.plan()).toMatchObject({ planned: true });
    // A second tick, as the next minute would bring: still nothing queued twice.
    expect(await stage.plan()).toMatchObject({ planned: true, inserted: 0 });

    const settled = await stage.settled([now, next], 120_000);
    expect(settled.find((row) => row.speakerId === later.id)).toMatchObject({ status: 'played' });
    // Whatever the first became, it went on air at most once.
    expect(onAir.device.transmissions.filter((transmission) => transmission.outcome === 'played').length).toBeLessThanOrEqual(1);
    await stage.expectSound([now, next], [onAir, later]);
  }, 180_000);
});
