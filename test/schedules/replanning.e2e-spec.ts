import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { QueueName } from '../../src/queue/queue.constants';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';
import { Body, FaultStage, until } from '../playbacks/faults-kit';

/** A 4 s bulletin lasts 1 s on the modelled speaker. */
const TIME_SCALE = 0.25;

/**
 * A schedule's plan follows every change at once: when the request that changed it answers, its waiting playbacks
 * and their jobs already match it. The planner's timer is off in tests: only the last tests run a tick, to show that
 * the tick alone repairs a plan whose immediate re-planning never happened.
 */
describe('Re-planning a schedule when it changes', () => {
  let loa: TestApp;
  let stage: FaultStage;
  let queue: Queue;
  let bulletinId: string;

  beforeAll(async () => {
    loa = await startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
    queue = loa.app.get<Queue>(getQueueToken(QueueName.Playback));
    bulletinId = await stage.approvedBulletin(4);
  });

  afterAll(async () => {
    await stage?.close();
    await loa?.close();
  });

  /** The instants (ISO) that the queue's jobs for this schedule name, however jobs are cut. */
  async function queuedInstants(scheduleId: string, instants: string[]): Promise<string[]> {
    const jobs = await queue.getJobs(['delayed', 'waiting', 'prioritized', 'active']);
    const payloads = jobs.filter((job) => job && JSON.stringify(job.data).includes(scheduleId)).map((job) => JSON.stringify(job.data));
    return instants.filter((instant) => payloads.some((payload) => payload.includes(instant)));
  }

  const iso = (at: Date) => new Date(at).toISOString();
  /** The calendar day of an instant in the test commune's zone, as the reports take it. */
  const localDay = (at: Date) => DateTime.fromJSDate(at, { zone: loa.places.commune.timezone }).toISODate()!;
  const patch = (scheduleId: string, body: Body) => call<Body>(loa.people.editor, 'PATCH', `/api/schedules/${scheduleId}`, body);

  it('plans a new schedule as soon as it is saved', async () => {
    const speaker = await stage.axisSpeaker();
    const startsAt = new Date(Date.now() + 3_600_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], startsAt);
    const rows = await stage.playbacks([scheduleId]);
    expect(rows.map((row) => [row.speakerId, iso(row.scheduledAt)])).toEqual([[speaker.id, startsAt.toISOString()]]);
    expect(await queuedInstants(scheduleId, [startsAt.toISOString()])).toEqual([startsAt.toISOString()]);
  });

  it('moves a slot: the old instant is withdrawn with its job at once, and the speaker plays at the new instant only', async () => {
    const speaker = await stage.axisSpeaker();
    const first = new Date(Date.now() + 20_000);
    const moved = new Date(first.getTime() + 10_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], first, { misfireGraceSeconds: 120 });
    expect((await stage.playbacks([scheduleId])).map((row) => iso(row.scheduledAt))).toEqual([first.toISOString()]);

    const edited = await patch(scheduleId, { startsAt: moved.toISOString() });
    expect(edited.status).toBe(200);
    // Already true when the edit answers, not a planner tick later.
    expect((await stage.playbacks([scheduleId])).map((row) => iso(row.scheduledAt))).toEqual([moved.toISOString()]);
    expect(await queuedInstants(scheduleId, [first.toISOString(), moved.toISOString()])).toEqual([moved.toISOString()]);

    // The old instant passes in silence.
    await until(async () => (Date.now() > first.getTime() + 2_000 ? true : null), 30_000, 'the old instant to pass');
    expect(speaker.device.transmissions).toEqual([]);
    const [played] = await stage.settled([scheduleId], 60_000);
    expect(played).toMatchObject({ status: 'played', speakerId: speaker.id });
    expect(iso(played.scheduledAt)).toBe(moved.toISOString());
    expect(speaker.device.transmissions.map((transmission) => transmission.outcome)).toEqual(['played']);
    await stage.expectSound([scheduleId], [speaker]);
  });

  it('changes targets within a slot: the speaker no longer targeted stays silent, the new one plays', async () => {
    const dropped = await stage.axisSpeaker();
    const added = await stage.axisSpeaker();
    const at = new Date(Date.now() + 15_000);
    const scheduleId = await stage.schedule([bulletinId], [dropped.id], at, { misfireGraceSeconds: 120 });
    const [before] = await stage.playbacks([scheduleId]);

    expect((await patch(scheduleId, { targets: { speakerIds: [added.id] } })).status).toBe(200);
    const after = await stage.playbacks([scheduleId]);
    expect(after.map((row) => [row.speakerId, iso(row.scheduledAt)])).toEqual([[added.id, at.toISOString()]]);
    expect(after[0].id).not.toBe(before.id);

    const settled = await stage.settled([scheduleId], 60_000);
    expect(settled.map((row) => [row.speakerId, row.status])).toEqual([[added.id, 'played']]);
    expect(dropped.device.transmissions).toEqual([]);
    await stage.expectSound([scheduleId], [dropped, added]);
  });

  it('keeps the playbacks an edit still means, with the new priority and grace', async () => {
    const speaker = await stage.axisSpeaker();
    const startsAt = new Date(Date.now() + 3_600_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], startsAt);
    const [before] = await stage.playbacks([scheduleId]);
    expect((await patch(scheduleId, { priority: 'priority', misfireGraceSeconds: 90, title: 'Đổi tên' })).status).toBe(200);
    const [after] = (await loa.dataSource.query('SELECT id, priority, grace_until FROM playbacks WHERE schedule_id = $1', [scheduleId])) as Array<Body>;
    expect(after).toEqual({ id: before.id, priority: 'priority', grace_until: new Date(startsAt.getTime() + 90_000) });
    expect(await queuedInstants(scheduleId, [startsAt.toISOString()])).toEqual([startsAt.toISOString()]);
  });

  it('withdraws on pause, plans again on resume and cancels for good, each at once', async () => {
    const speaker = await stage.axisSpeaker();
    const startsAt = new Date(Date.now() + 3_600_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], startsAt);
    const action = (name: string) => call<Body>(loa.people.editor, 'POST', `/api/schedules/${scheduleId}/${name}`);

    expect((await action('pause')).status).toBe(200);
    expect(await stage.playbacks([scheduleId])).toEqual([]);
    expect(await queuedInstants(scheduleId, [startsAt.toISOString()])).toEqual([]);

    expect((await action('resume')).status).toBe(200);
    expect((await stage.playbacks([scheduleId])).map((row) => iso(row.scheduledAt))).toEqual([startsAt.toISOString()]);
    expect(await queuedInstants(scheduleId, [startsAt.toISOString()])).toEqual([startsAt.toISOString()]);

    expect((await action('cancel')).status).toBe(200);
    expect((await stage.playbacks([scheduleId])).map((row) => [row.status, row.failureCode])).toEqual([['cancelled', 'schedule_cancelled']]);
    expect(await queuedInstants(scheduleId, [startsAt.toISOString()])).toEqual([]);
  });

  it('airs the program version each playback names: a change of bulletins alters what airs next, never what the log says aired', async () => {
    const speaker = await stage.axisSpeaker();
    const replacement = await stage.approvedBulletin(8, 'Bản tin thay thế');
    const first = new Date(Date.now() + 8_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], first, { misfireGraceSeconds: 120 });
    await stage.settled([scheduleId], 60_000);

    const second = new Date(Date.now() + 8_000);
    const edited = await patch(scheduleId, { bulletinIds: [replacement], startsAt: second.toISOString() });
    expect(edited.body).toMatchObject({ bulletinIds: [replacement], programVersion: 2 });
    // Only a change of bulletins makes a version.
    expect((await patch(scheduleId, { title: 'Đổi tên lần nữa', bulletinIds: [replacement] })).body).toMatchObject({ programVersion: 2 });
    const played = await stage.waitForPlaybacks(
      [scheduleId],
      (rows) => rows.length === 2 && rows.every((row) => row.status === 'played'),
      60_000,
      'both slots played',
    );
    expect(played.map((row) => iso(row.scheduledAt))).toEqual([first.toISOString(), second.toISOString()]);
    expect(speaker.device.played.map((transmission) => Math.round(transmission.audioMs / 1000))).toEqual([4, 8]);

    const days = `from=${localDay(first)}&to=${localDay(second)}&speakerIds=${speaker.id}`;
    const log = await call<Body>(loa.people.editor, 'GET', `/api/reports/as-run?${days}`);
    expect(log.status).toBe(200);
    expect((log.body.rows as Body[]).map((line) => line.bulletins)).toEqual(['Bản tin thử lỗi', 'Bản tin thay thế']);
    const summary = await call<Body>(loa.people.editor, 'GET', `/api/reports/summary?${days}`);
    expect(summary.body.totals).toMatchObject({ played: 2 });
    const [short, long] = (log.body.rows as Body[]).map((line) => line.programMs as number);
    expect(long).toBeGreaterThan(short);
    expect(summary.body.totals.onAirMs).toBe(short + long);
  });

  it('follows an edit whose re-planning never ran (the process died after the commit) at the next planner tick', async () => {
    const speaker = await stage.axisSpeaker();
    const first = new Date(Date.now() + 3_600_000);
    const moved = new Date(first.getTime() + 600_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], first);
    // Committed straight to PostgreSQL: nothing in this process hears of it.
    await loa.dataSource.query(`UPDATE schedules SET starts_at = $2, priority = 'priority', misfire_grace_seconds = 90 WHERE id = $1`, [scheduleId, moved]);
    expect((await stage.playbacks([scheduleId])).map((row) => iso(row.scheduledAt))).toEqual([first.toISOString()]);

    const report = await stage.plan();
    expect(report).toMatchObject({ planned: true, withdrawn: 1, inserted: 1 });
    const rows = (await loa.dataSource.query('SELECT scheduled_at, priority, grace_until FROM playbacks WHERE schedule_id = $1', [scheduleId])) as Body[];
    expect(rows).toEqual([{ scheduled_at: moved, priority: 'priority', grace_until: new Date(moved.getTime() + 90_000) }]);
    expect(await queuedInstants(scheduleId, [first.toISOString(), moved.toISOString()])).toEqual([moved.toISOString()]);
    // A second tick finds nothing to change.
    expect(await stage.plan()).toMatchObject({ planned: true, withdrawn: 0, inserted: 0 });
  });

  it('withdraws at the next tick the slot of a speaker disabled after planning; its village neighbour keeps the slot and its job', async () => {
    const disabled = await stage.axisSpeaker();
    const neighbour = await stage.axisSpeaker();
    const startsAt = new Date(Date.now() + 3_600_000);
    const scheduleId = await stage.schedule([bulletinId], [disabled.id, neighbour.id], startsAt);
    expect((await call(loa.people.admin, 'PATCH', `/api/speakers/${disabled.id}`, { enabled: false })).status).toBe(200);

    expect(await stage.plan()).toMatchObject({ planned: true, withdrawn: 1 });
    expect((await stage.playbacks([scheduleId])).map((row) => row.speakerId)).toEqual([neighbour.id]);
    expect(await queuedInstants(scheduleId, [startsAt.toISOString()])).toEqual([startsAt.toISOString()]);
  });
});
