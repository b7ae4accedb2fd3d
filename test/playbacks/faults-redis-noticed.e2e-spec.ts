import Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, TestApp } from '../support/test-app';
import { FaultStage, PlaybackRow, StageSpeaker, until } from './faults-kit';
import { ownDatabase } from './own-database';

/** A 4 s bulletin is 2 s on air on the modelled speakers. */
const TIME_SCALE = 0.5;

/**
 * Fault: Redis loses everything shortly before a commune-wide slot, with the service as it runs in production
 * (PLANNER=true: its minute tick, and the Redis loss detector beside it). As in faults-redis.e2e-spec.ts, every key
 * under the app's queue prefix is deleted instead of a FLUSHALL that would wipe the other test runs sharing the
 * server. Each slot's instant is placed so that no minute tick falls between the loss and the slot: only noticing
 * the loss within seconds can put it on air on time.
 */
describe('Fault: Redis emptied shortly before a commune-wide slot (detector on, as in production)', () => {
  let database: { url: string; drop(): Promise<void> };
  let loa: TestApp;
  let stage: FaultStage;
  let redis: Redis;
  let bulletinId: string;
  let speakers: StageSpeaker[];
  /** Every slot played so far: the devices count every transmission they heard. */
  const scheduleIds: string[] = [];

  beforeAll(async () => {
    database = await ownDatabase();
    loa = await startTestApp({ DATABASE_URL: database.url, PLANNER: 'true', SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
    redis = new Redis(loa.config.redis.url);
    bulletinId = await stage.approvedBulletin(4);
    const { village, neighbourVillage } = loa.places;
    speakers = [await stage.axisSpeaker(village.id), await stage.axisSpeaker(village.id), await stage.axisSpeaker(neighbourVillage.id)];
  }, 240_000);

  afterAll(async () => {
    redis?.disconnect();
    await stage?.close();
    await loa?.close();
    await database?.drop();
  });

  /** Deletes every key of this service (its queue prefix); answers how many there were. */
  async function loseEverything(): Promise<number> {
    let deleted = 0;
    for await (const keys of redis.scanStream({ match: `${loa.config.redis.queuePrefix}:*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) deleted += await redis.del(...keys);
    }
    return deleted;
  }

  /** A whole second at least `aheadMs` away, 20 s or more into its minute: no minute tick in the 16 s before it. */
  function slotAhead(aheadMs: number): Date {
    let at = Math.ceil((Date.now() + aheadMs) / 1000) * 1000;
    while (new Date(at).getUTCSeconds() < 20) at += 1000;
    return new Date(at);
  }

  async function communeWide(slot: Date): Promise<string> {
    const scheduleId = await stage.schedule([bulletinId], [], slot, { targets: { communeIds: [loa.places.commune.id] }, misfireGraceSeconds: 120 });
    scheduleIds.push(scheduleId);
    return scheduleId;
  }

  /**
   * Every speaker has exactly one playback of the slot, played in one attempt; the device heard one transmission,
   * and its driver call (the playback's `started_at`, the ledger's `commanded` entry) and the device's start both lie
   * within 1 s after the instant.
   */
  async function expectEveryoneOnAirOnce(slot: Date, rows: PlaybackRow[]): Promise<void> {
    expect(rows.map((row) => row.speakerId).sort()).toEqual(speakers.map((speaker) => speaker.id).sort());
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'played', attempts: 1, scheduledAt: slot });
      expect(row.latenessMs).toBeGreaterThanOrEqual(0);
      expect(row.latenessMs).toBeLessThanOrEqual(1000);
      expect(row.startedAt!.getTime() - slot.getTime()).toBeLessThanOrEqual(1000);
    }
    const commanded = await until(
      async () => {
        const entries = (await loa.dataSource.query(
          `SELECT speaker_id AS "speakerId", actual_at AS "actualAt" FROM airtime_records WHERE playback_id = ANY($1) AND event = 'commanded'`,
          [rows.map((row) => row.id)],
        )) as Array<{ speakerId: string; actualAt: Date }>;
        return entries.length >= rows.length ? entries : null;
      },
      10_000,
      'the commanded entries of the slot',
    );
    expect(commanded.map((entry) => entry.speakerId).sort()).toEqual(speakers.map((speaker) => speaker.id).sort());
    for (const entry of commanded) expect(entry.actualAt.getTime() - slot.getTime()).toBeLessThanOrEqual(1000);
    for (const { device } of speakers) {
      const heard = device.transmissions.filter((transmission) => Math.abs(transmission.firstByteAt! - slot.getTime()) < 30_000);
      expect(heard.map((transmission) => transmission.outcome)).toEqual(['played']);
      expect(heard[0].firstByteAt! - slot.getTime()).toBeGreaterThanOrEqual(0);
      expect(heard[0].firstByteAt! - slot.getTime()).toBeLessThanOrEqual(1000);
    }
    await stage.expectSound(scheduleIds, speakers);
  }

  it('emptied 5 s before the instant (the villages already staged): everyone on air within 1 s, nothing twice', async () => {
    const slot = slotAhead(25_000);
    const scheduleId = await communeWide(slot);
    await sleep(slot.getTime() - 5_000 - Date.now());
    expect(await loseEverything()).toBeGreaterThan(0);

    const rows = await stage.settled([scheduleId], 60_000);
    await expectEveryoneOnAirOnce(slot, rows);
  }, 120_000);

  it('emptied 15 s before the instant (its jobs still delayed and lost): re-planned at once, everyone on air within 1 s, nothing twice', async () => {
    const slot = slotAhead(30_000);
    const scheduleId = await communeWide(slot);
    await stage.waitForPlaybacks([scheduleId], (rows) => rows.length === speakers.length && rows.every((row) => row.status === 'queued'), 20_000, 'the slot queued');
    await sleep(slot.getTime() - 15_000 - Date.now());
    expect(await loseEverything()).toBeGreaterThan(0);

    const rows = await stage.settled([scheduleId], 60_000);
    await expectEveryoneOnAirOnce(slot, rows);
  }, 120_000);
});
