import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';
import { Body, FaultStage, until } from '../playbacks/faults-kit';

/** A 4 s bulletin is 1 s on air on the modelled speakers. */
const TIME_SCALE = 0.25;

/** Rules a hostile editor sent: each once took the service down (for ever, or ~10 s at every save, preview and tick). */
const HOSTILE_RULES: Array<[string, string, RegExp]> = [
  ['a negative INTERVAL (rrule loops for ever)', 'FREQ=DAILY;INTERVAL=-1;BYHOUR=6', /INTERVAL=-1 must be/],
  ['INTERVAL=0 (never airs)', 'FREQ=DAILY;INTERVAL=0;BYHOUR=6', /INTERVAL=0 must be/],
  ['INTERVAL=1000000000 (never airs again)', 'FREQ=DAILY;INTERVAL=1000000000;BYHOUR=6', /INTERVAL=1000000000 must be/],
  ['31 February (searched to the year 9999)', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31;BYHOUR=6', /never falls in BYMONTH=2/],
  ['BYSETPOS=0', 'FREQ=MONTHLY;BYDAY=MO;BYHOUR=6;BYSETPOS=0', /BYSETPOS=0 is out of range/],
  ['BYSETPOS=400', 'FREQ=MONTHLY;BYDAY=MO;BYHOUR=6;BYSETPOS=400', /BYSETPOS=400 is out of range/],
  ['every second of the day', `FREQ=DAILY;BYHOUR=${range(24)};BYMINUTE=${range(60)};BYSECOND=${range(60)}`, /86400 times a day/],
  ['an hour its INTERVAL never reaches (rrule loops for ever)', 'FREQ=HOURLY;INTERVAL=2;BYHOUR=7', /never reached/],
  [
    'the reported rule: DTSTART in 1900, every 5 minutes (11.9 s per save, preview and tick)',
    'DTSTART:19000101T000000\nRRULE:FREQ=HOURLY;BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55',
    /up to 288 times a day; this commune allows at most 48/,
  ],
];

function range(length: number): string {
  return Array.from({ length }, (_, index) => index).join(',');
}

describe('Recurrences that cannot take the service down', () => {
  const audioDir = { path: '' };
  let loa: TestApp;
  let stage: FaultStage;
  let bulletinId: string;
  let speaker: Awaited<ReturnType<FaultStage['axisSpeaker']>>;

  beforeAll(async () => {
    audioDir.path = await mkdtemp(join(tmpdir(), 'loa-recurrence-'));
    loa = await startTestApp({ AUDIO_DIR: audioDir.path, SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
    bulletinId = await stage.approvedBulletin(4);
    speaker = await stage.axisSpeaker();
  });

  afterAll(async () => {
    await stage?.close();
    await loa?.close();
    await rm(audioDir.path, { recursive: true, force: true });
  });

  it.each(HOSTILE_RULES)('refuses %s with a 400 naming the part, and health answers beside it', async (_, rrule, message) => {
    // Before, these requests never answered (or held the event loop for ~10 s): a hang now fails on jest's timeout.
    const [refused, health] = await Promise.all([
      call<Body>(loa.people.editor, 'POST', '/api/schedules', { title: 'Lịch độc hại', bulletinIds: [bulletinId], targets: { speakerIds: [speaker.id] }, rrule }),
      call<Body>(loa.url, 'GET', '/api/health'),
    ]);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(message);
    expect(health.status).toBe(200);
  });

  it('refuses the same rules on PATCH and keeps the schedule as it was', async () => {
    const created = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
      title: 'Bản tin sáng',
      bulletinIds: [bulletinId],
      targets: { speakerIds: [speaker.id] },
      rrule: 'FREQ=DAILY;BYHOUR=6',
    });
    expect(created.status).toBe(201);
    for (const [, rrule, message] of HOSTILE_RULES) {
      const answer = await call<Body>(loa.people.editor, 'PATCH', `/api/schedules/${created.body.id}`, { rrule });
      expect({ rrule, status: answer.status, message: answer.body.message }).toEqual({ rrule, status: 400, message: expect.stringMatching(message) });
    }
    const after = await call<Body>(loa.people.editor, 'GET', `/api/schedules/${created.body.id}`);
    expect(after.body).toMatchObject({ rrule: created.body.rrule, revision: created.body.revision, quarantine: null });
    await call(loa.people.editor, 'POST', `/api/schedules/${created.body.id}/cancel`);
  });

  it.each([
    ['denser than the commune allows', 'FREQ=HOURLY;BYMINUTE=0,2', /2 min apart; this commune needs at least 5 min/],
    ['more often a day than the commune allows', 'FREQ=HOURLY;BYMINUTE=0,20,40', /up to 72 times a day; this commune allows at most 48/],
    ['with no occurrence in the next five years', 'DTSTART:20200101T060000\nRRULE:FREQ=DAILY;COUNT=3', /no occurrence between/],
  ])('refuses a rule %s', async (_, rrule, message) => {
    const answer = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
      title: 'Lịch dày',
      bulletinIds: [bulletinId],
      targets: { speakerIds: [speaker.id] },
      rrule,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(message);
  });

  it('lets the commune allow a denser rule, and still holds its new minimum', async () => {
    const commune = loa.places.commune.id;
    expect((await call(loa.people.admin, 'PATCH', `/api/communes/${commune}`, { minOccurrenceSpacingMinutes: 1, maxOccurrencesPerDay: 1440 })).status).toBe(200);
    try {
      // Every two minutes fits a 4 s program; every second... is refused by spacing, not by rrule running away.
      const every2 = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
        title: 'Hai phút một lần',
        bulletinIds: [bulletinId],
        targets: { speakerIds: [speaker.id] },
        rrule: `FREQ=HOURLY;BYMINUTE=${range(30)
          .split(',')
          .map((m) => Number(m) * 2)
          .join(',')}`,
      });
      expect(every2.status).toBe(201);
      await call(loa.people.editor, 'POST', `/api/schedules/${every2.body.id}/cancel`);
      const everySecond = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
        title: 'Mỗi giây',
        bulletinIds: [bulletinId],
        targets: { speakerIds: [speaker.id] },
        rrule: 'FREQ=HOURLY;BYMINUTE=0;BYSECOND=0,1',
      });
      expect(everySecond.body.message).toMatch(/1 s apart; this commune needs at least 1 min/);
    } finally {
      await call(loa.people.admin, 'PATCH', `/api/communes/${commune}`, { minOccurrenceSpacingMinutes: 5, maxOccurrencesPerDay: 48 });
    }
  });

  describe('a bad rule already stored (a migration bug, an old version)', () => {
    let planning: TestApp;
    const bad: Record<string, string> = {};

    it('is quarantined by the production planner at start, while the service starts normally and the commune airs on time', async () => {
      // A good one-off 25 s from now, through the API; then two bad rules written straight into the table.
      const at = new Date(Date.now() + 25_000);
      const good = await stage.schedule([bulletinId], [speaker.id], at);
      for (const [name, rule] of [
        ['refused', 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY;INTERVAL=-1;BYHOUR=6'],
        // One candidate a day, never a second: rrule would search day by day to the year 9999.
        ['runaway', 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY;BYHOUR=6;BYSETPOS=2'],
      ]) {
        const [{ id }] = (await loa.dataSource.query(
          `INSERT INTO schedules (commune_id, title, status, rrule, timezone, priority, misfire_grace_seconds, chime, program_ms, revision, program_version)
           SELECT commune_id, $2, 'active', $3, timezone, priority, misfire_grace_seconds, chime, program_ms, 1, 1 FROM schedules WHERE id = $1
           RETURNING id`,
          [good, `Lịch hỏng ${name}`, rule],
        )) as [{ id: string }];
        await loa.dataSource.query(`INSERT INTO schedule_targets (schedule_id, speaker_id) VALUES ($1, $2)`, [id, speaker.id]);
        await loa.dataSource.query(`INSERT INTO schedule_bulletins (schedule_id, version, position, bulletin_id) VALUES ($1, 1, 0, $2)`, [id, bulletinId]);
        bad[name] = id;
      }

      // The service restarts as production runs it: the planner on, its first tick at start, over every commune.
      await loa.close();
      planning = await startTestApp({ AUDIO_DIR: audioDir.path, SPEAKER_TIME_SCALE: String(TIME_SCALE), PLANNER: 'true', RECURRENCE_BUDGET_MS: '300' });
      loa = planning;
      expect((await call(planning.url, 'GET', '/api/health')).status).toBe(200);

      const quarantined = await until(
        async () => {
          const rows = (await planning.dataSource.query(`SELECT id, quarantine_reason FROM schedules WHERE id = ANY($1) AND quarantined_at IS NOT NULL`, [
            Object.values(bad),
          ])) as unknown[];
          return rows.length === 2 ? rows : null;
        },
        30_000,
        'both bad schedules to be quarantined',
      );
      expect(quarantined).toHaveLength(2);

      const views = await Promise.all(
        Object.entries(bad).map(async ([name, id]) => [name, (await call<Body>(planning.people.admin, 'GET', `/api/schedules/${id}`)).body] as const),
      );
      expect(Object.fromEntries(views.map(([name, view]) => [name, view.quarantine?.reason]))).toEqual({
        refused: expect.stringMatching(/INTERVAL=-1 must be a whole number from 1/),
        runaway: expect.stringMatching(/longer than 300 ms to expand/),
      });
      const audit = (await planning.dataSource.query(`SELECT resource_id FROM audit_log WHERE action = 'schedule.quarantine' AND resource_id = ANY($1)`, [
        Object.values(bad),
      ])) as unknown[];
      expect(audit).toHaveLength(2);
      const metrics = await call<Body>(planning.people.admin, 'GET', '/api/metrics');
      expect(metrics.body.raw).toMatch(/^loa_schedules_quarantined [1-9]\d*$/m);
      expect((await planning.dataSource.query(`SELECT count(*)::int AS n FROM playbacks WHERE schedule_id = ANY($1)`, [Object.values(bad)]))[0].n).toBe(0);

      // The good one-off in the same commune airs on the speaker, once.
      const [played] = await (await FaultStage.on(planning, TIME_SCALE)).settled([good], 90_000);
      expect(played).toMatchObject({ status: 'played', speakerId: speaker.id });
      expect(speaker.device.transmissions.map((transmission) => transmission.outcome)).toEqual(['played']);

      // An edit of the timing that passes the checks lifts the quarantine.
      const fixed = await call<Body>(planning.people.admin, 'PATCH', `/api/schedules/${bad.refused}`, { rrule: 'FREQ=DAILY;BYHOUR=6' });
      expect(fixed.status).toBe(200);
      expect(fixed.body.quarantine).toBeNull();
    });
  });
});
