import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulletinStatus } from '../../src/bulletins/bulletin-status';
import { PlaybackPlanner } from '../../src/playbacks/playback-planner';
import { Playback } from '../../src/playbacks/playback.entity';
import { PlaybackStatus } from '../../src/playbacks/playback-status';
import { Speaker } from '../../src/speakers/speaker.entity';
import { Role } from '../../src/auth/role';
import { call } from '../support/api';
import { createSession } from '../support/people';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { firstTopicId, uploadBulletin, waitUntilProcessed } from '../support/bulletin-client';
import { startTestApp, TestApp } from '../support/test-app';
import { SchedulePriority } from '../../src/schedules/schedule-priority';

type Body = Record<string, any>;

describe("Village operators' confirmations and problem reports", () => {
  let loa: TestApp;
  let fixtures: string;
  let bulletinId: string;
  let scheduleId: string;

  beforeAll(async () => {
    loa = await startTestApp({ AIRTIME_CHECKPOINT_INTERVAL_MINUTES: '0' });
    fixtures = await mkdtemp(join(tmpdir(), 'loa-operator-'));
    const file = await makeAudio(fixtures, 'tin-57.mp3', { source: speechLike(2, 5757), output: ['-c:a', 'libmp3lame'] });
    const uploaded = await uploadBulletin(loa.people.editor, file, { title: 'Tin Nghị quyết 57', topic: await firstTopicId(loa.people.editor) });
    bulletinId = uploaded.body.id as string;
    expect((await waitUntilProcessed(loa.people.editor, bulletinId)).status).toBe(BulletinStatus.Ready);
    expect((await call(loa.people.approver, 'POST', `/api/bulletins/${bulletinId}/approve`)).status).toBe(200);
    // A schedule to hang directly written playbacks on (a week ahead: the planner is never asked about it here).
    scheduleId = await schedule(await speaker(loa.places.village.id, 'manual'), 7 * 24 * 3_600_000);
  });

  afterAll(async () => {
    await loa?.close();
    if (fixtures) await rm(fixtures, { recursive: true, force: true });
  });

  async function speaker(villageId: string, driver: 'manual' | 'axis-vapix'): Promise<string> {
    const repository = loa.dataSource.getRepository(Speaker);
    const settings = driver === 'manual' ? {} : { url: 'http://127.0.0.1:9' };
    return (await repository.save(repository.create({ villageId, name: `Cụm loa ${randomUUID().slice(0, 6)}`, driver, settings, secretsSealed: null }))).id;
  }

  async function schedule(speakerId: string, startsInMs: number): Promise<string> {
    const startsAt = new Date(Date.now() + startsInMs).toISOString();
    const answer = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
      title: 'Phát thử',
      bulletinIds: [bulletinId],
      targets: { speakerIds: [speakerId] },
      startsAt,
    });
    if (answer.status !== 201) throw new Error(`could not schedule: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  }

  /** A playback written directly, as the dispatcher would have left it. */
  async function playback(
    options: { village?: 'mine' | 'neighbour' | 'otherCommune'; status?: PlaybackStatus; inMs?: number; driver?: 'manual' | 'axis-vapix' } = {},
  ) {
    const place = {
      mine: [loa.places.village, loa.places.commune],
      neighbour: [loa.places.neighbourVillage, loa.places.commune],
      otherCommune: [loa.places.otherVillage, loa.places.otherCommune],
    }[options.village ?? 'mine'];
    const scheduledAt = new Date(Date.now() + (options.inMs ?? -120_000));
    const row = await loa.dataSource.getRepository(Playback).save({
      scheduleId,
      speakerId: await speaker(place[0].id, options.driver ?? 'manual'),
      villageId: place[0].id,
      communeId: place[1].id,
      priority: SchedulePriority.Normal,
      scheduledAt,
      graceUntil: scheduledAt,
      status: options.status ?? PlaybackStatus.Playing,
      startedAt: options.status === PlaybackStatus.Queued ? null : scheduledAt,
    });
    return row.id;
  }

  async function recordsOf(playbackId: string, as = loa.people.approver): Promise<Body[]> {
    const answer = await call<Body>(as, 'GET', `/api/airtime?playbackId=${playbackId}`);
    expect(answer.status).toBe(200);
    return answer.body.items as Body[];
  }

  it('turns a manual cluster played once its operator confirms, from the planner through the broadcast log', async () => {
    const manual = await speaker(loa.places.village.id, 'manual');
    const id = await schedule(manual, 2_000);
    await loa.app.get(PlaybackPlanner).planOnce({ communeIds: [loa.places.commune.id] });
    const deadline = Date.now() + 30_000;
    let mine: Body | undefined;
    while (Date.now() < deadline) {
      const { items } = (await call<{ items: Body[] }>(loa.people.operator, 'GET', '/api/playbacks?date=today')).body;
      mine = items.find((row) => row.scheduleId === id);
      if (mine?.status === PlaybackStatus.Playing) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(mine).toMatchObject({ status: PlaybackStatus.Playing, confirmedAt: null });

    const confirmed = await call<Body>(loa.people.operator, 'POST', `/api/playbacks/${mine!.id}/confirm`, { note: 'Nghe rõ ở nhà văn hóa thôn' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: PlaybackStatus.Played,
      evidenceLevel: 'operator_confirmed',
      confirmedBy: loa.people.operator.user.id,
      confirmationNote: 'Nghe rõ ở nhà văn hóa thôn',
    });
    const events = (await recordsOf(mine!.id)).map((record) => record.event);
    expect(events[0]).toBe('commanded');
    expect(events[events.length - 1]).toBe('operator_confirmed');
    const verified = await call<Body>(loa.people.approver, 'GET', `/api/airtime/verify?communeId=${loa.places.commune.id}`);
    expect(verified.body).toMatchObject({ ok: true, communes: [{ communeId: loa.places.commune.id, firstBroken: null }] });
  });

  it("answers 404 for another village's playback, in the same commune or another", async () => {
    for (const village of ['neighbour', 'otherCommune'] as const) {
      const id = await playback({ village });
      expect((await call(loa.people.operator, 'POST', `/api/playbacks/${id}/confirm`, {})).status).toBe(404);
      expect((await call(loa.people.operator, 'POST', `/api/playbacks/${id}/problem`, { kind: 'not_heard' })).status).toBe(404);
      expect(await recordsOf(id, loa.people.admin)).toEqual([]);
    }
    expect((await call(loa.people.operator, 'POST', `/api/playbacks/${randomUUID()}/confirm`, {})).status).toBe(404);
  });

  it('answers 409 before the scheduled instant, naming it in the commune time', async () => {
    const id = await playback({ inMs: 3_600_000, status: PlaybackStatus.Queued });
    const early = await call<Body>(loa.people.operator, 'POST', `/api/playbacks/${id}/confirm`, {});
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/scheduled for \d\d:\d\d \d\d\/\d\d\/\d{4}/);
    expect((await call(loa.people.operator, 'POST', `/api/playbacks/${id}/problem`, { kind: 'power_cut' })).status).toBe(409);
    expect(await recordsOf(id)).toEqual([]);
  });

  it('records a double confirmation once; a later, different one leaves the first standing', async () => {
    const id = await playback();
    const taps = await Promise.all([1, 2].map(() => call<Body>(loa.people.operator, 'POST', `/api/playbacks/${id}/confirm`, { note: 'Đã nghe' })));
    expect(taps.map((tap) => tap.status)).toEqual([200, 200]);
    expect(taps[0].body.confirmedAt).toBe(taps[1].body.confirmedAt);
    const again = await call<Body>(loa.people.operator, 'POST', `/api/playbacks/${id}/confirm`, { note: 'Ghi chú khác' });
    expect(again.body).toMatchObject({ confirmationNote: 'Đã nghe', confirmedAt: taps[0].body.confirmedAt });
    const records = await recordsOf(id);
    expect(records.filter((record) => record.event === 'operator_confirmed')).toHaveLength(1);
    expect(records[0]).toMatchObject({ evidenceLevel: 'operator_confirmed', evidence: { note: 'Đã nghe', operatorId: loa.people.operator.user.id } });
  });

  it('leaves an IP speaker to its device (confirmation is a second witness)', async () => {
    const ip = await playback({ driver: 'axis-vapix' });
    const witness = await call<Body>(loa.people.operator, 'POST', `/api/playbacks/${ip}/confirm`, {});
    expect(witness.body).toMatchObject({ status: PlaybackStatus.Playing, evidenceLevel: 'operator_confirmed' });
  });

  it('confirms only a playback on air or played: a failed, missed, pre-empted or cancelled one is refused, and a problem may still be reported', async () => {
    const refusals: Array<[PlaybackStatus, RegExp]> = [
      [PlaybackStatus.Failed, /failed/],
      [PlaybackStatus.Missed, /missed/],
      [PlaybackStatus.Preempted, /interrupted/],
      [PlaybackStatus.Cancelled, /cancelled/],
      [PlaybackStatus.Queued, /not gone on air yet/],
    ];
    for (const [status, reason] of refusals) {
      const id = await playback({ status });
      const refused = await call<Body>(loa.people.operator, 'POST', `/api/playbacks/${id}/confirm`, { note: 'Đã nghe' });
      expect({ status, answer: refused.status }).toEqual({ status, answer: 409 });
      expect(refused.body.message).toMatch(reason);
      expect(refused.body.message).toMatch(/report a problem instead/);
      const row = await loa.dataSource.getRepository(Playback).findOneByOrFail({ id });
      expect(row).toMatchObject({ status, confirmedAt: null, evidenceLevel: null });
      expect(await recordsOf(id)).toEqual([]);

      const problem = await call<Body>(loa.people.operator, 'POST', `/api/playbacks/${id}/problem`, { kind: 'power_cut' });
      expect(problem.status).toBe(200);
      expect(problem.body).toMatchObject({ status, problemKind: 'power_cut' });
    }
    const played = await playback({ status: PlaybackStatus.Played, driver: 'axis-vapix' });
    const confirmed = await call<Body>(loa.people.operator, 'POST', `/api/playbacks/${played}/confirm`, {});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: PlaybackStatus.Played, evidenceLevel: 'operator_confirmed' });
  });

  it('lets the operator take a "heard" back within 5 minutes, audited; the proof falls back to the device\'s', async () => {
    const id = await playback({ status: PlaybackStatus.Played, driver: 'axis-vapix' });
    await loa.dataSource.query(`UPDATE playbacks SET evidence = $2, evidence_level = 'acknowledged' WHERE id = $1`, [id, { level: 'acknowledged', items: [] }]);
    expect((await call(loa.people.operator, 'POST', `/api/playbacks/${id}/confirm`, {})).status).toBe(200);

    // Another operator of the same village cannot take it back: the word was not theirs.
    const neighbour = await createSession(loa.app, loa.url, Role.Operator, { villageIds: [loa.places.village.id] });
    const refused = await call<Body>(neighbour, 'DELETE', `/api/playbacks/${id}/confirm`);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/Only the operator who confirmed/);

    const undone = await call<Body>(loa.people.operator, 'DELETE', `/api/playbacks/${id}/confirm`);
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ status: PlaybackStatus.Played, confirmedAt: null, confirmedBy: null, evidenceLevel: 'acknowledged' });
    const audit = await call<{ items: Body[] }>(loa.people.admin, 'GET', `/api/audit?resourceId=${id}`);
    expect(audit.body.items[0]).toMatchObject({ action: 'DELETE /api/playbacks/:id/confirm', outcome: 'success', actorId: loa.people.operator.user.id });
    // Nothing left to take back.
    expect((await call(loa.people.operator, 'DELETE', `/api/playbacks/${id}/confirm`)).status).toBe(409);
  });

  it('refuses to take a "heard" back after 5 minutes, or a wired cluster\'s proof of play', async () => {
    const late = await playback({ status: PlaybackStatus.Played, driver: 'axis-vapix' });
    expect((await call(loa.people.operator, 'POST', `/api/playbacks/${late}/confirm`, {})).status).toBe(200);
    await loa.dataSource.query(`UPDATE playbacks SET confirmed_at = now() - interval '6 minutes' WHERE id = $1`, [late]);
    const refused = await call<Body>(loa.people.operator, 'DELETE', `/api/playbacks/${late}/confirm`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/more than 5 minutes ago/);
    expect(await loa.dataSource.getRepository(Playback).findOneByOrFail({ id: late })).toMatchObject({ evidenceLevel: 'operator_confirmed' });

    const wired = await playback({ status: PlaybackStatus.Playing, driver: 'manual' });
    expect((await call<Body>(loa.people.operator, 'POST', `/api/playbacks/${wired}/confirm`, {})).body.status).toBe(PlaybackStatus.Played);
    const proof = await call<Body>(loa.people.operator, 'DELETE', `/api/playbacks/${wired}/confirm`);
    expect(proof.status).toBe(409);
    expect(proof.body.message).toMatch(/wired cluster/);
  });

  it('shows problems to editors and approvers as they are reported, latest first', async () => {
    const first = await playback();
    const second = await playback();
    expect((await call(loa.people.operator, 'POST', `/api/playbacks/${first}/problem`, { kind: 'speaker_broken', note: 'Loa cột 3 rè' })).status).toBe(200);
    const reported = await call<Body>(loa.people.operator, 'POST', `/api/playbacks/${second}/problem`, { kind: 'power_cut' });
    expect(reported.body).toMatchObject({ problemKind: 'power_cut', problemNote: null, problemReportedBy: loa.people.operator.user.id });
    // The same report twice is one report.
    await call(loa.people.operator, 'POST', `/api/playbacks/${second}/problem`, { kind: 'power_cut' });
    expect((await recordsOf(second)).filter((record) => record.event === 'operator_problem')).toHaveLength(1);

    for (const person of [loa.people.editor, loa.people.approver]) {
      const { items } = (await call<{ items: Body[] }>(person, 'GET', '/api/playbacks?problem=true')).body;
      const ids = items.map((row) => row.id);
      expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(first));
      expect(items.find((row) => row.id === first)).toMatchObject({ problemKind: 'speaker_broken', problemNote: 'Loa cột 3 rè' });
    }
    const { items: elsewhere } = (await call<{ items: Body[] }>(loa.people.otherEditor, 'GET', '/api/playbacks?problem=true')).body;
    expect(elsewhere.map((row) => row.id)).not.toContain(first);
  });

  it('refuses an unknown problem kind and an overlong note with a clear 400', async () => {
    const id = await playback();
    const kind = await call<Body>(loa.people.operator, 'POST', `/api/playbacks/${id}/problem`, { kind: 'thunder' });
    expect(kind.status).toBe(400);
    expect(JSON.stringify(kind.body.message)).toMatch(/kind must be one of speaker_broken, power_cut/);
    const note = await call<Body>(loa.people.operator, 'POST', `/api/playbacks/${id}/confirm`, { note: 'x'.repeat(501) });
    expect(note.status).toBe(400);
    expect(await recordsOf(id)).toEqual([]);
  });

  it('scopes the broadcast log: operators read their villages, and filters narrow it', async () => {
    const mine = await playback();
    const neighbours = await playback({ village: 'neighbour' });
    await call(loa.people.operator, 'POST', `/api/playbacks/${mine}/confirm`, {});
    await call(loa.people.otherOperator, 'POST', `/api/playbacks/${neighbours}/confirm`, {});
    const operatorView = await call<Body>(loa.people.operator, 'GET', '/api/airtime?evidenceLevel=operator_confirmed&pageSize=1000');
    expect(operatorView.body.items.every((record: Body) => record.villageId === loa.places.village.id)).toBe(true);
    expect(operatorView.body.items.map((record: Body) => record.playbackId)).toContain(mine);
    const approverView = await call<Body>(loa.people.approver, 'GET', `/api/airtime?villageId=${loa.places.neighbourVillage.id}`);
    expect(approverView.body.items.map((record: Body) => record.playbackId)).toEqual([neighbours]);
    expect((await call<Body>(loa.people.otherEditor, 'GET', `/api/airtime?playbackId=${mine}`)).body.items).toEqual([]);
    const range = await call<Body>(loa.people.approver, 'GET', `/api/airtime?from=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(range.body).toMatchObject({ items: [], total: 0 });
    expect((await call(loa.people.approver, 'GET', '/api/airtime?evidenceLevel=heard')).status).toBe(400);
  });
});
