import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlaybackPlanner } from '../../src/playbacks/playback-planner';
import { Playback } from '../../src/playbacks/playback.entity';
import { PlaybackStatus } from '../../src/playbacks/playback-status';
import { villageJobId } from '../../src/playbacks/planning';
import { QueueName } from '../../src/queue/queue.constants';
import { call } from '../support/api';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { uploadApproved } from '../support/bulletin-client';
import { startTestApp, TestApp } from '../support/test-app';
import { AxisSpeaker } from '../devices/axis-speaker';
import { SchedulePriority } from '../../src/schedules/schedule-priority';

/** The speaker model plays this much faster than real time; the service drives it with the same scale. */
const TIME_SCALE = 0.2;
const AXIS_PASSWORD = 'Loa-Axis-Mật-khẩu-2026';

type Body = Record<string, any>;

describe('Dispatch: planner and playback worker on an Axis-style speaker modelled from VAPIX', () => {
  let loa: TestApp;
  let fixtures: string;
  let device: AxisSpeaker;
  let planner: PlaybackPlanner;
  let queue: Queue;
  let bulletinId: string;
  let axisSpeaker: string;
  let manualSpeaker: string;

  beforeAll(async () => {
    loa = await startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    planner = loa.app.get(PlaybackPlanner);
    queue = loa.app.get<Queue>(getQueueToken(QueueName.Playback));
    fixtures = await mkdtemp(join(tmpdir(), 'loa-dispatch-'));
    const editor = loa.people.editor;
    const file = await makeAudio(fixtures, 'tin-chuyen-doi-so.mp3', { source: speechLike(4, 4242), output: ['-c:a', 'libmp3lame', '-b:a', '128k'] });
    bulletinId = await uploadApproved(editor, loa.people.approver, file, 'Tin chuyển đổi số');

    device = await AxisSpeaker.start({ password: AXIS_PASSWORD, timeScale: TIME_SCALE });
    axisSpeaker = await register({ driver: 'axis-vapix', settings: { url: device.url }, secrets: { username: 'root', password: AXIS_PASSWORD } });
    manualSpeaker = await register({ driver: 'manual' });
  });

  afterAll(async () => {
    await device?.close();
    await loa?.close();
    if (fixtures) await rm(fixtures, { recursive: true, force: true });
  });

  async function register(body: Body): Promise<string> {
    const answer = await call<Body>(loa.people.admin, 'POST', '/api/speakers', {
      villageId: loa.places.village.id,
      name: `Cụm loa ${randomUUID().slice(0, 6)}`,
      ...body,
    });
    if (answer.status !== 201) throw new Error(`could not register a speaker: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  }

  async function schedule(speakerIds: string[], startsInMs: number, extra: Body = {}): Promise<string> {
    const startsAt = new Date(Date.now() + startsInMs).toISOString();
    const answer = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
      title: 'Phát thử',
      bulletinIds: [bulletinId],
      targets: { speakerIds },
      startsAt,
      ...extra,
    });
    if (answer.status !== 201) throw new Error(`could not schedule: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  }

  const planOnce = () => planner.planOnce({ communeIds: [loa.places.commune.id] });

  /** A tick that ran: a schedule change re-plans at once in the background and may hold the planner lock briefly. */
  async function tick(): Promise<Body> {
    for (let tries = 0; ; tries++) {
      const report = await planOnce();
      if (report.planned || tries > 50) return report;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function playbacksOf(scheduleId: string, as = loa.people.editor): Promise<Body[]> {
    const answer = await call<{ items: Body[] }>(as, 'GET', `/api/playbacks?scheduleId=${scheduleId}`);
    expect(answer.status).toBe(200);
    return answer.body.items;
  }

  async function waitFor(scheduleId: string, done: (playbacks: Body[]) => boolean, timeoutMs = 30_000): Promise<Body[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const playbacks = await playbacksOf(scheduleId);
      if (done(playbacks)) return playbacks;
      if (Date.now() > deadline) throw new Error(`playbacks of ${scheduleId} still ${JSON.stringify(playbacks.map((p) => p.status))}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The one dispatch job id of a playback's village slot. */
  const jobIdOf = (playback: Body): string =>
    villageJobId({ scheduleId: playback.scheduleId, scheduledAt: new Date(playback.scheduledAt), villageId: playback.villageId });

  const terminalOrPlaying = (playbacks: Body[]) => playbacks.every((p) => ['played', 'failed', 'missed', 'playing'].includes(p.status));

  it('plays a scheduled bulletin on the Axis speaker on time, once, and survives Redis losing its jobs', async () => {
    const now = await schedule([axisSpeaker, manualSpeaker], 4_000, { misfireGraceSeconds: 60 });
    const later = await schedule([axisSpeaker], 3_600_000);

    const first = await planOnce();
    expect(first).toMatchObject({ planned: true });
    const again = await planOnce();
    expect(again).toMatchObject({ planned: true, inserted: 0 });
    const [rows] = (await loa.dataSource.query('SELECT count(*)::int AS n FROM playbacks WHERE schedule_id = ANY($1)', [[now, later]])) as [{ n: number }];
    expect(rows.n).toBe(3);
    const planned = await playbacksOf(now);
    // The slot is 4 s ahead and jobs come 10 s early: the worker may already have staged it (attempts committed).
    for (const playback of planned) expect(['queued', 'dispatching']).toContain(playback.status);
    // Both speakers are in one village: one job carries them, released together on the instant.
    const jobs = await queue.getJobs(['delayed', 'waiting', 'active']);
    expect(jobs.filter((job) => job.data.scheduleId === now)).toHaveLength(1);
    expect(jobs.find((job) => job.data.scheduleId === now)!.id).toBe(jobIdOf(planned[0]));

    const settled = await waitFor(now, terminalOrPlaying);
    const axis = settled.find((p) => p.speakerId === axisSpeaker)!;
    expect(axis).toMatchObject({ status: 'played', villageId: loa.places.village.id, attempts: 1, failureCode: null });
    // Recorded, and inside the slot's grace (how small it is, is bench:dispatch's business, not a test's).
    expect(axis.latenessMs).toBeGreaterThanOrEqual(0);
    expect(axis.latenessMs).toBeLessThan(60_000);
    expect(axis.evidence.level).toBe('device_reported');
    expect(device.transmissions).toHaveLength(1);
    expect(device.transmissions[0]).toMatchObject({ outcome: 'played' });
    // A wired cluster is only shown to its operator: it stays on air until confirmed.
    const manual = settled.find((p) => p.speakerId === manualSpeaker)!;
    expect(manual.status).toBe('playing');
    expect(manual.evidence.items[0].note).toMatch(/operator/);

    // Redis loses everything: one tick brings the future job back, and nothing that played is queued again.
    await queue.obliterate({ force: true });
    expect(await queue.getJob(jobIdOf(axis))).toBeUndefined();
    const rebuilt = await planOnce();
    expect(rebuilt).toMatchObject({ planned: true, inserted: 0 });
    const [future] = await playbacksOf(later);
    expect(await queue.getJob(jobIdOf(future))).toBeDefined();
    // The slot that played (one played, one on air awaiting its operator) is not queued again.
    expect(await queue.getJob(jobIdOf(axis))).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(device.transmissions).toHaveLength(1);
    expect((await playbacksOf(now)).find((p) => p.id === axis.id)).toMatchObject({ status: 'played', attempts: 1 });
    const [{ played }] = (await loa.dataSource.query(
      `SELECT count(*)::int AS played FROM playbacks WHERE schedule_id = $1 AND speaker_id = $2 AND status = 'played'`,
      [now, axisSpeaker],
    )) as [{ played: number }];
    expect(played).toBe(1);
  });

  it('airs the whole program (5 s chime, then a 45 s bulletin) on a speaker that answers early from its playout buffer', async () => {
    const file = await makeAudio(fixtures, 'tin-45-giay.mp3', { source: speechLike(45, 4545), output: ['-c:a', 'libmp3lame', '-b:a', '64k'] });
    const longBulletin = await uploadApproved(loa.people.editor, loa.people.approver, file, 'Tin 45 giây');
    const buffered = await AxisSpeaker.start({ password: AXIS_PASSWORD, timeScale: TIME_SCALE, mode: { kind: 'playout-buffer', bufferMs: 2_000 } });
    try {
      const speakerId = await register({ driver: 'axis-vapix', settings: { url: buffered.url }, secrets: { username: 'root', password: AXIS_PASSWORD } });
      const startsAt = new Date(Date.now() + 4_000).toISOString();
      const created = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
        title: 'Chương trình có nhạc hiệu',
        bulletinIds: [longBulletin],
        targets: { speakerIds: [speakerId] },
        startsAt,
        chime: true,
        misfireGraceSeconds: 60,
      });
      expect(created.status).toBe(201);
      await planOnce();
      const [playback] = await waitFor(created.body.id as string, terminalOrPlaying, 60_000);

      expect(playback).toMatchObject({ status: 'played', attempts: 1, failureCode: null });
      expect(playback.evidence.level).toBe('device_reported');
      const items = playback.evidence.items as Array<{ bulletinId: string; level: string; offsetMs: number; device: Body }>;
      expect(items.map((item) => [item.bulletinId, item.level])).toEqual([
        ['chime', 'device_reported'],
        [longBulletin, 'device_reported'],
      ]);
      // One transmit carried the whole program: the device heard the chime and all 45 s of the bulletin after it.
      expect(buffered.transmissions).toHaveLength(1);
      const [received] = buffered.transmissions;
      expect(received.outcome).toBe('played');
      expect(received.bytes).toBe(received.contentLength);
      expect(received.audioMs).toBeGreaterThan(49_000);
      expect(items[1].offsetMs).toBeGreaterThan(4_000);
      expect(items[1].offsetMs).toBeLessThan(6_000);
      // The device answered before its last audio had been heard, and that answer is the proof.
      expect(received.answeredAt!).toBeLessThan(received.heardUntil!);
      expect(items[1].device).toMatchObject({ status: 200, audioMs: Math.round(received.audioMs), answeredAfterMs: expect.any(Number) });
    } finally {
      await buffered.close();
    }
  });

  it('records a playback still waiting past its grace (the service was down across the slot) as missed, without calling the driver', async () => {
    const scheduleId = await schedule([axisSpeaker], 3_600_000);
    const repository = loa.dataSource.getRepository(Playback);
    const stale = await repository.save(
      repository.create({
        scheduleId,
        speakerId: axisSpeaker,
        villageId: loa.places.village.id,
        communeId: loa.places.commune.id,
        priority: SchedulePriority.Normal,
        scheduledAt: new Date(Date.now() - 30 * 60_000),
        graceUntil: new Date(Date.now() - 20 * 60_000),
        status: PlaybackStatus.Planned,
      }),
    );
    const before = device.transmissions.length;
    expect(await planOnce()).toMatchObject({ planned: true, missed: 1 });
    const row = await repository.findOneByOrFail({ id: stale.id });
    expect(row).toMatchObject({ status: PlaybackStatus.Missed, failureCode: 'service_down', attempts: 0, latenessMs: null });
    expect(await queue.getJob(jobIdOf({ scheduleId, scheduledAt: stale.scheduledAt.toISOString(), villageId: stale.villageId }))).toBeUndefined();
    expect(device.transmissions).toHaveLength(before);
  });

  it('withdraws the future playbacks of a paused schedule with their jobs, and plans them again on resume', async () => {
    const scheduleId = await schedule([axisSpeaker, manualSpeaker], 3_600_000);
    await planOnce();
    const planned = await playbacksOf(scheduleId);
    expect(planned).toHaveLength(2);
    for (const playback of planned) expect(await queue.getJob(jobIdOf(playback))).toBeDefined();

    // Pausing withdraws at once (the schedule's change re-plans), or at the latest on the next tick.
    expect((await call(loa.people.editor, 'POST', `/api/schedules/${scheduleId}/pause`)).status).toBe(200);
    expect(await tick()).toMatchObject({ planned: true });
    expect(await playbacksOf(scheduleId)).toEqual([]);
    for (const playback of planned) expect(await queue.getJob(jobIdOf(playback))).toBeUndefined();

    expect((await call(loa.people.editor, 'POST', `/api/schedules/${scheduleId}/resume`)).status).toBe(200);
    expect(await tick()).toMatchObject({ planned: true });
    const replanned = await playbacksOf(scheduleId);
    expect(replanned.map((p) => [p.status, p.scheduledAt]).sort()).toEqual(planned.map((p) => ['queued', p.scheduledAt]).sort());
  });

  it('cancels the future playbacks of a cancelled schedule for good', async () => {
    const scheduleId = await schedule([axisSpeaker, manualSpeaker], 3_600_000);
    await planOnce();
    const planned = await playbacksOf(scheduleId);
    expect((await call(loa.people.editor, 'POST', `/api/schedules/${scheduleId}/cancel`)).status).toBe(200);
    expect(await tick()).toMatchObject({ planned: true });
    const cancelled = await playbacksOf(scheduleId);
    expect(cancelled.map((p) => [p.status, p.failureCode])).toEqual([
      ['cancelled', 'schedule_cancelled'],
      ['cancelled', 'schedule_cancelled'],
    ]);
    for (const playback of planned) expect(await queue.getJob(jobIdOf(playback))).toBeUndefined();
    // Cancelled is final: another tick neither queues nor changes them.
    expect(await tick()).toMatchObject({ inserted: 0, cancelled: 0 });
    expect((await playbacksOf(scheduleId)).map((p) => p.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('shows playbacks to their village operator and commune readers only, with filters', async () => {
    const scheduleId = await schedule([manualSpeaker], 7_200_000);
    await planOnce();
    const [own] = await playbacksOf(scheduleId, loa.people.operator);
    expect(own).toMatchObject({ scheduleId, speakerId: manualSpeaker, villageId: loa.places.village.id, status: 'queued', latenessMs: null });
    expect(typeof own.scheduledAt).toBe('string');
    for (const reader of [loa.people.approver, loa.people.viewer, loa.people.admin]) expect(await playbacksOf(scheduleId, reader)).toHaveLength(1);
    for (const outsider of [loa.people.otherOperator, loa.people.otherEditor]) expect(await playbacksOf(scheduleId, outsider)).toEqual([]);

    const byVillage = await call<{ items: Body[] }>(loa.people.operator, 'GET', `/api/playbacks?villageId=${loa.places.neighbourVillage.id}`);
    expect(byVillage.body).toEqual({ items: [], next: null });
    const queued = await call<{ items: Body[] }>(loa.people.editor, 'GET', `/api/playbacks?scheduleId=${scheduleId}&status=played`);
    expect(queued.body).toEqual({ items: [], next: null });
    const from = new Date(Date.now() + 7_100_000).toISOString();
    const window = await call<{ items: Body[] }>(loa.people.editor, 'GET', `/api/playbacks?scheduleId=${scheduleId}&from=${from}`);
    expect(window.body.items).toHaveLength(1);
    const bad = await call<Body>(loa.people.editor, 'GET', '/api/playbacks?status=heard');
    expect(bad.status).toBe(400);
  });
});
