import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHIME_ITEM } from '../../src/playbacks/dispatch/program-audio';
import { PlaybackPlanner } from '../../src/playbacks/playback-planner';
import { villageJobId } from '../../src/playbacks/planning';
import { QueueName } from '../../src/queue/queue.constants';
import { call } from '../support/api';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { uploadApproved } from '../support/bulletin-client';
import { freePort } from '../support/free-port';
import { startTestApp, TestApp } from '../support/test-app';
import { AxisSpeaker } from '../devices/axis-speaker';

const TIME_SCALE = 0.2;
const AXIS_PASSWORD = 'Loa-Axis-Mật-khẩu-2026';

type Body = Record<string, any>;

describe('Dispatch: village slots staged ahead, retries, chime, airtime and metrics', () => {
  let loa: TestApp;
  let fixtures: string;
  let planner: PlaybackPlanner;
  let queue: Queue;
  let bulletinId: string;
  const devices: AxisSpeaker[] = [];

  beforeAll(async () => {
    loa = await startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    planner = loa.app.get(PlaybackPlanner);
    queue = loa.app.get<Queue>(getQueueToken(QueueName.Playback));
    fixtures = await mkdtemp(join(tmpdir(), 'loa-village-'));
    const editor = loa.people.editor;
    const file = await makeAudio(fixtures, 'tin-thon.mp3', { source: speechLike(3, 77), output: ['-c:a', 'libmp3lame', '-b:a', '64k'] });
    bulletinId = await uploadApproved(editor, loa.people.approver, file, 'Tin thôn');
  });

  afterAll(async () => {
    for (const device of devices) await device.close();
    await loa?.close();
    if (fixtures) await rm(fixtures, { recursive: true, force: true });
  });

  /** An Axis-style speaker modelled from VAPIX (test/devices), answering at the end of playback. */
  async function speakerModel(port = 0): Promise<AxisSpeaker> {
    const device = await AxisSpeaker.start({ password: AXIS_PASSWORD, timeScale: TIME_SCALE, port });
    devices.push(device);
    return device;
  }

  async function axisSpeaker(url: string, password = AXIS_PASSWORD): Promise<string> {
    return register({ driver: 'axis-vapix', settings: { url }, secrets: { username: 'root', password } });
  }

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
      title: 'Phát thôn',
      bulletinIds: [bulletinId],
      targets: { speakerIds },
      startsAt,
      misfireGraceSeconds: 60,
      ...extra,
    });
    if (answer.status !== 201) throw new Error(`could not schedule: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  }

  async function plan(): Promise<void> {
    for (let tries = 0; tries < 50; tries++) {
      if ((await planner.planOnce({ communeIds: [loa.places.commune.id] })).planned) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the planner lock stayed busy');
  }

  async function settled(scheduleId: string, timeoutMs = 40_000): Promise<Body[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { items } = (await call<{ items: Body[] }>(loa.people.editor, 'GET', `/api/playbacks?scheduleId=${scheduleId}`)).body;
      if (items.length && items.every((p) => ['played', 'playing', 'failed', 'missed', 'preempted'].includes(p.status))) return items;
      if (Date.now() > deadline) throw new Error(`playbacks of ${scheduleId} still ${JSON.stringify(items.map((p) => p.status))}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function airtimeEvents(
    playbackId: string,
  ): Promise<Array<{ event: string; audio_sha256: string | null; actual_at: Date | null; evidence_level: string | null }>> {
    // Appends are batched after the calls: give them a moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return (await loa.dataSource.query('SELECT event, audio_sha256, actual_at, evidence_level FROM airtime_records WHERE playback_id = $1 ORDER BY seq', [
      playbackId,
    ])) as Array<{ event: string; audio_sha256: string | null; actual_at: Date | null; evidence_level: string | null }>;
  }

  it('carries a village slot in one job, commits the attempts ahead, plays every speaker and logs the airtime', async () => {
    const device = await speakerModel();
    const speakers = [await axisSpeaker(device.url), await register({ driver: 'manual' }), await register({ driver: 'manual' })];
    const scheduleId = await schedule(speakers, 8_000);
    await plan();
    const [first] = (await call<{ items: Body[] }>(loa.people.editor, 'GET', `/api/playbacks?scheduleId=${scheduleId}`)).body.items;
    const jobs = (await queue.getJobs(['delayed', 'waiting', 'active'])).filter((job) => job.data.scheduleId === scheduleId);
    expect(jobs.map((job) => job.id)).toEqual([villageJobId({ scheduleId, scheduledAt: new Date(first.scheduledAt), villageId: loa.places.village.id })]);

    const playbacks = await settled(scheduleId);
    const axis = playbacks.find((p) => p.speakerId === speakers[0])!;
    expect(axis).toMatchObject({ status: 'played', attempts: 1, failureCode: null });
    expect(playbacks.filter((p) => p.speakerId !== speakers[0]).map((p) => p.status)).toEqual(['playing', 'playing']);
    for (const playback of playbacks) expect(playback.latenessMs).toBeGreaterThanOrEqual(0);
    const [row] = (await loa.dataSource.query('SELECT started_at, evidence_level FROM playbacks WHERE id = $1', [axis.id])) as Array<{
      started_at: Date;
      evidence_level: string;
    }>;
    expect(row.evidence_level).toBe('device_reported');
    expect(row.started_at.getTime()).toBeGreaterThanOrEqual(new Date(axis.scheduledAt).getTime());

    const events = await airtimeEvents(axis.id);
    expect(events.map((entry) => entry.event)).toEqual(['commanded', 'finished']);
    expect(events[0].audio_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(events[0].actual_at!.getTime()).toBe(row.started_at.getTime());
    expect(events[1].evidence_level).toBe('device_reported');
  });

  it('retries an unreachable speaker with a new attempt each time, until it answers within the grace', async () => {
    const port = await freePort();
    const speaker = await axisSpeaker(`http://127.0.0.1:${port}`);
    const scheduleId = await schedule([speaker], 3_000);
    await plan();
    // The speaker comes up a few seconds after its instant.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const device = await speakerModel(port);
    const [playback] = await settled(scheduleId);
    expect(playback.status).toBe('played');
    expect(playback.attempts).toBeGreaterThanOrEqual(2);
    expect(device.transmissions.map((p) => p.outcome)).toEqual(['played']);
  });

  it('fails a permanent driver error (wrong credentials) at once, with one attempt', async () => {
    const device = await speakerModel();
    const speaker = await axisSpeaker(device.url, 'not-the-password');
    const scheduleId = await schedule([speaker], 3_000);
    await plan();
    const [playback] = await settled(scheduleId);
    expect(playback).toMatchObject({ status: 'failed', attempts: 1 });
    expect(playback).toMatchObject({ failureCode: 'auth', failureDetail: expect.any(String) });
    expect((await airtimeEvents(playback.id)).map((entry) => entry.event)).toContain('failed');
  });

  it('plays the pre-announcement chime and the bulletin as one transmit when the schedule asks for it', async () => {
    const device = await speakerModel();
    const speaker = await axisSpeaker(device.url);
    const scheduleId = await schedule([speaker], 3_000, { chime: true });
    await plan();
    const [playback] = await settled(scheduleId);
    expect(playback.status).toBe('played');
    const [{ evidence }] = (await loa.dataSource.query('SELECT evidence FROM playbacks WHERE id = $1', [playback.id])) as Array<{
      evidence: { items: Array<{ bulletinId: string; level: string; offsetMs: number; device: { audioMs: number } }> };
    }>;
    expect(evidence.items.map((item) => [item.bulletinId, item.level])).toEqual([
      [CHIME_ITEM, 'device_reported'],
      [bulletinId, 'device_reported'],
    ]);
    // One transmit: the bulletin starts in it where the chime ends, and the device heard the whole program.
    expect(device.transmissions.map((p) => p.outcome)).toEqual(['played']);
    const [received] = device.transmissions;
    expect(evidence.items[0].offsetMs).toBe(0);
    expect(evidence.items[1].offsetMs).toBeGreaterThan(0);
    expect(evidence.items[1].offsetMs).toBeLessThan(received.audioMs);
    expect(evidence.items[1].device.audioMs).toBe(Math.round(received.audioMs));
  });

  it('exposes lateness and outcomes at GET /api/metrics in Prometheus text', async () => {
    const response = await fetch(`${loa.url}/api/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^loa_playback_lateness_seconds_count\{priority="normal"\} [1-9]/m);
    expect(text).toMatch(/^loa_playback_outcomes_total\{outcome="played",priority="normal"\} [1-9]/m);
    expect(text).toMatch(/^loa_playback_outcomes_total\{outcome="failed",priority="normal"\} [1-9]/m);
    expect(text).toMatch(/^loa_playback_driver_retries_total\{kind="unreachable"\} [1-9]/m);
    expect(text).toMatch(/^loa_playbacks\{status="played"\} [1-9]/m);
  });
});
