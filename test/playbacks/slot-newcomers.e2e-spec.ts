import { setTimeout as sleep } from 'node:timers/promises';
import { PlaybackPlanner } from '../../src/playbacks/playback-planner';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';
import { Body, FaultStage, until } from './faults-kit';
import { ownDatabase } from './own-database';

const TIME_SCALE = 0.5;
const HOUR = 3_600_000;

/**
 * Slots belong to the speakers that were there: a speaker registered, enabled or moved into a targeted village
 * after an occurrence was released (its village jobs fire 10 s before the instant) or aired has no playback for it,
 * and starts with the next occurrence. Planned as in production (PLANNER=true, every commune, no filter), so the
 * app has a database of its own.
 */
describe('Slots belong to the speakers that were there', () => {
  let database: { url: string; drop(): Promise<void> };
  let loa: TestApp;
  let stage: FaultStage;
  let bulletinId: string;

  beforeAll(async () => {
    database = await ownDatabase();
    loa = await startTestApp({ DATABASE_URL: database.url, PLANNER: 'true', SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
    bulletinId = await stage.approvedBulletin(4);
  }, 240_000);

  afterAll(async () => {
    await stage?.close();
    await loa?.close();
    await database?.drop();
  });

  /** A planning run as the minute tick makes it (every commune), waiting for a tick that holds the lock. */
  async function plan(): Promise<void> {
    expect(await loa.app.get(PlaybackPlanner).planWhenFree({}, 30_000)).toBe(true);
  }

  /** Hourly at the minute and second of a whole second at least `aheadMs` away (the commune's zone is a whole-hour offset). */
  async function hourlySlot(villageId: string, aheadMs: number): Promise<{ scheduleId: string; slot: Date }> {
    const slot = new Date(Math.ceil((Date.now() + aheadMs) / 1000) * 1000);
    const scheduleId = await stage.schedule([bulletinId], [], slot, {
      startsAt: undefined,
      rrule: `FREQ=HOURLY;BYMINUTE=${slot.getUTCMinutes()};BYSECOND=${slot.getUTCSeconds()}`,
      targets: { villageIds: [villageId] },
    });
    return { scheduleId, slot };
  }

  /** The speakers with a playback of the schedule at `instant`, with its status. */
  async function playbacksAt(scheduleId: string, instant: Date): Promise<Array<{ speakerId: string; status: string }>> {
    return (await loa.dataSource.query(`SELECT speaker_id AS "speakerId", status FROM playbacks WHERE schedule_id = $1 AND scheduled_at = $2 ORDER BY speaker_id`, [
      scheduleId,
      instant,
    ])) as Array<{ speakerId: string; status: string }>;
  }

  async function speakerTotals(day: Date, speakerIds: string[]): Promise<Body> {
    const local = new Date(day.getTime() + 7 * HOUR).toISOString().slice(0, 10);
    const answer = await call<Body>(loa.people.approver, 'GET', `/api/reports/summary?from=${local}&to=${local}&speakerIds=${speakerIds.join(',')}`);
    expect(answer.status).toBe(200);
    return answer.body.totals as Body;
  }

  it('registered, enabled or moved in after the slot aired: no playback for it, one for the next occurrence, nothing in the reports', async () => {
    const { village, neighbourVillage } = loa.places;
    const there = await stage.axisSpeaker(village.id);
    const disabled = await stage.axisSpeaker(village.id);
    expect((await call(loa.people.admin, 'PATCH', `/api/speakers/${disabled.id}`, { enabled: false })).status).toBe(200);
    const elsewhere = await stage.axisSpeaker(neighbourVillage.id);
    const { scheduleId, slot } = await hourlySlot(village.id, 20_000);
    await stage.waitForPlaybacks([scheduleId], () => true, 10_000, 'the slot planned');
    await until(async () => ((await playbacksAt(scheduleId, slot)).some((row) => row.status === 'played') ? true : null), 60_000, 'the slot aired');

    const registered = await stage.axisSpeaker(village.id);
    expect((await call(loa.people.admin, 'PATCH', `/api/speakers/${disabled.id}`, { enabled: true })).status).toBe(200);
    const moved = await call<Body>(loa.people.admin, 'PATCH', `/api/speakers/${elsewhere.id}`, { villageId: village.id });
    expect(moved).toMatchObject({ status: 200, body: { villageId: village.id } });
    await plan();

    expect(await playbacksAt(scheduleId, slot)).toEqual([{ speakerId: there.id, status: 'played' }]);
    const next = await playbacksAt(scheduleId, new Date(slot.getTime() + HOUR));
    expect(next.map((row) => row.speakerId).sort()).toEqual([there.id, disabled.id, elsewhere.id, registered.id].sort());
    expect(next.every((row) => row.status === 'planned' || row.status === 'queued')).toBe(true);
    // A second run, as the next minute brings, still leaves the aired slot to the speaker that was there.
    await plan();
    expect(await playbacksAt(scheduleId, slot)).toEqual([{ speakerId: there.id, status: 'played' }]);
    expect(await speakerTotals(slot, [registered.id, disabled.id, elsewhere.id])).toMatchObject({ played: 0, missed: 0, failed: 0, compliance: null });
    expect(await speakerTotals(slot, [there.id])).toMatchObject({ played: 1, missed: 0, compliance: 1 });
  }, 180_000);

  it('registered between the release and the instant: the slot plays on time for the others, the newcomer starts with the next occurrence', async () => {
    const village = loa.places.neighbourVillage;
    const there = await stage.axisSpeaker(village.id);
    const { scheduleId, slot } = await hourlySlot(village.id, 25_000);
    await stage.waitForPlaybacks([scheduleId], () => true, 10_000, 'the slot planned');
    // Its village job fires 10 s before the instant: 6 s before, the slot is released.
    await sleep(slot.getTime() - 6_000 - Date.now());
    const registered = await stage.axisSpeaker(village.id);
    await plan();
    expect((await playbacksAt(scheduleId, slot)).map((row) => row.speakerId)).toEqual([there.id]);

    const rows = await stage.waitForPlaybacks(
      [scheduleId],
      (all) => all.some((row) => row.scheduledAt.getTime() === slot.getTime() && row.status === 'played'),
      60_000,
      'the slot aired',
    );
    const aired = rows.filter((row) => row.scheduledAt.getTime() === slot.getTime());
    expect(aired).toEqual([expect.objectContaining({ speakerId: there.id, status: 'played', attempts: 1 })]);
    expect(aired[0].latenessMs).toBeLessThanOrEqual(1000);
    expect(registered.device.transmissions).toEqual([]);
    const next = await playbacksAt(scheduleId, new Date(slot.getTime() + HOUR));
    expect(next.map((row) => row.speakerId).sort()).toEqual([there.id, registered.id].sort());
  }, 180_000);

  it('refuses to move a speaker to a village that is not one', async () => {
    const speaker = await stage.axisSpeaker();
    const malformed = await call<Body>(loa.people.admin, 'PATCH', `/api/speakers/${speaker.id}`, { villageId: 'thôn 3' });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body.message)).toContain('villageId must be the id of a village from GET /api/villages');
    const unknown = await call<Body>(loa.people.admin, 'PATCH', `/api/speakers/${speaker.id}`, { villageId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect((await call<Body>(loa.people.admin, 'GET', `/api/speakers/${speaker.id}`)).body).toMatchObject({ villageId: loa.places.village.id });
  });
});
