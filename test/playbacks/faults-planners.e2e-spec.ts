import Redis from 'ioredis';
import { PlaybackPlanner, PlanReport } from '../../src/playbacks/playback-planner';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';
import { Body, FaultStage, VAPIX_SPEAKER } from './faults-kit';

/** A 4 s bulletin is 1 s on air on the speakers (modelled from VAPIX). */
const TIME_SCALE = 0.25;

/**
 * Faults of duplication: two API instances planning the same commune at the same moment, and the same schedule
 * submitted twice at once to two instances. Both instances share the database and the queue prefix, as production
 * instances do; the first also runs the playback worker.
 */
describe('Fault: two planners at once, and the same schedule submitted twice', () => {
  let loa: TestApp;
  let twin: TestApp;
  let stage: FaultStage;
  let bulletinId: string;

  beforeAll(async () => {
    loa = await startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    twin = await startTestApp({ ROLE: 'api', QUEUE_PREFIX: loa.config.redis.queuePrefix });
    stage = await FaultStage.on(loa, TIME_SCALE);
    bulletinId = await stage.approvedBulletin(4);
  });

  afterAll(async () => {
    await stage?.close();
    await twin?.close();
    await loa?.close();
  });

  it('two planners planning the same commune at once insert each playback once, and each speaker plays once', async () => {
    const speakers = [
      await stage.axisSpeaker(undefined, VAPIX_SPEAKER),
      await stage.axisSpeaker(undefined, VAPIX_SPEAKER),
      await stage.axisSpeaker(loa.places.neighbourVillage.id, VAPIX_SPEAKER),
    ];
    const soon = await stage.schedule(
      [bulletinId],
      speakers.map((speaker) => speaker.id),
      new Date(Date.now() + 20_000),
      { misfireGraceSeconds: 120 },
    );
    const daily = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
      title: 'Bản tin sáng chiều',
      bulletinIds: [bulletinId],
      targets: { speakerIds: speakers.map((speaker) => speaker.id) },
      rrule: 'FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0',
    });
    expect(daily.status).toBe(201);
    const scheduleIds = [soon, daily.body.id as string];
    const expected = (await stage.playbacks(scheduleIds)).length;
    expect(expected).toBeGreaterThanOrEqual(3 + 3 * 4);

    // As if no tick had planned them yet: no rows, nothing in Redis. Then both instances' ticks fire together.
    await loa.dataSource.query('DELETE FROM playbacks WHERE schedule_id = ANY($1)', [scheduleIds]);
    const redis = new Redis(loa.config.redis.url);
    try {
      for await (const keys of redis.scanStream({ match: `${loa.config.redis.queuePrefix}:*`, count: 500 }) as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.del(...keys);
      }
    } finally {
      redis.disconnect();
    }
    const planners = [loa, twin].map((app) => app.app.get(PlaybackPlanner));
    const reports: PlanReport[] = [];
    for (let round = 0; round < 4; round++) reports.push(...(await Promise.all(planners.map((planner) => stage.plan(planner)))));
    expect(reports.some((report) => report.planned)).toBe(true);
    const inserted = reports.reduce((sum, report) => sum + (report.planned ? report.inserted : 0), 0);
    expect(inserted).toBe(expected);
    expect(await stage.playbacks(scheduleIds)).toHaveLength(expected);

    const settled = await stage.settled([soon], 90_000);
    expect(settled.map((row) => row.status)).toEqual(['played', 'played', 'played']);
    for (const { device } of speakers) expect(device.transmissions.map((transmission) => transmission.outcome)).toEqual(['played']);
    await stage.expectSound(scheduleIds, speakers);
  }, 180_000);

  it('the same schedule sent to two instances at once is saved once, and plays once', async () => {
    const speaker = await stage.axisSpeaker(undefined, VAPIX_SPEAKER);
    const content = {
      title: 'Thông báo bấm hai lần',
      bulletinIds: [bulletinId],
      targets: { speakerIds: [speaker.id] },
      startsAt: new Date(Date.now() + 12_000).toISOString(),
      misfireGraceSeconds: 120,
      chime: false,
    };
    // The same editor's double tap, its two requests landing on two instances behind the load balancer.
    const sessions = [loa.people.editor, { ...loa.people.editor, url: twin.url }];
    const answers = await Promise.all(sessions.map((session) => call<Body>(session, 'POST', '/api/schedules', content)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const saved = answers.find((answer) => answer.status === 201)!.body.id as string;
    expect(answers.find((answer) => answer.status === 409)!.body.scheduleId).toBe(saved);
    const [{ count }] = (await loa.dataSource.query(`SELECT count(*)::int AS count FROM schedules WHERE title = $1 AND commune_id = $2`, [
      content.title,
      loa.places.commune.id,
    ])) as [{ count: number }];
    expect(count).toBe(1);

    const settled = await stage.settled([saved], 60_000);
    expect(settled.map((row) => row.status)).toEqual(['played']);
    expect(speaker.device.transmissions.map((transmission) => transmission.outcome)).toEqual(['played']);
    await stage.expectSound([saved], [speaker]);
  }, 120_000);
});
