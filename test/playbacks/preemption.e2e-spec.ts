import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlaybackPlanner } from '../../src/playbacks/playback-planner';
import { LeaseRedis, SpeakerLeases } from '../../src/playbacks/speaker-lease';
import { QueueName } from '../../src/queue/queue.constants';
import { call } from '../support/api';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { uploadApproved } from '../support/bulletin-client';
import { startTestApp, TestApp } from '../support/test-app';
import { AxisSpeaker } from '../devices/axis-speaker';

/**
 * A 60 s bulletin lasts 12 s on the speaker (modelled from VAPIX): long enough to be interrupted mid-air even when a
 * loaded machine starts it seconds late.
 */
const TIME_SCALE = 0.2;
const AXIS_PASSWORD = 'Loa-Axis-Mật-khẩu-2026';

type Body = Record<string, any>;

describe('Dispatch: an emergency pre-empts a normal broadcast on an Axis-style speaker', () => {
  let loa: TestApp;
  let fixtures: string;
  let device: AxisSpeaker;
  let planner: PlaybackPlanner;
  let longBulletin: string;
  let shortBulletin: string;
  let axisSpeaker: string;

  beforeAll(async () => {
    loa = await startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    planner = loa.app.get(PlaybackPlanner);
    fixtures = await mkdtemp(join(tmpdir(), 'loa-preempt-'));
    longBulletin = await approvedBulletin('tin-dai.mp3', 60, 'Tin dài');
    shortBulletin = await approvedBulletin('bao-bao.mp3', 4, 'Cảnh báo bão');
    device = await AxisSpeaker.start({ password: AXIS_PASSWORD, timeScale: TIME_SCALE });
    const answer = await call<Body>(loa.people.admin, 'POST', '/api/speakers', {
      villageId: loa.places.village.id,
      name: `Cụm loa ${randomUUID().slice(0, 6)}`,
      driver: 'axis-vapix',
      settings: { url: device.url },
      secrets: { username: 'root', password: AXIS_PASSWORD },
    });
    expect(answer.status).toBe(201);
    axisSpeaker = answer.body.id as string;
  });

  afterAll(async () => {
    await device?.close();
    await loa?.close();
    if (fixtures) await rm(fixtures, { recursive: true, force: true });
  });

  async function approvedBulletin(name: string, seconds: number, title: string): Promise<string> {
    const editor = loa.people.editor;
    const file = await makeAudio(fixtures, name, { source: speechLike(seconds, 4242 + seconds), output: ['-c:a', 'libmp3lame', '-b:a', '64k'] });
    return uploadApproved(editor, loa.people.approver, file, title);
  }

  async function schedule(bulletinId: string, startsInMs: number, priority: string): Promise<string> {
    const startsAt = new Date(Date.now() + startsInMs).toISOString();
    const answer = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
      title: `Phát ${priority}`,
      bulletinIds: [bulletinId],
      targets: { speakerIds: [axisSpeaker] },
      startsAt,
      priority,
      misfireGraceSeconds: 60,
    });
    if (answer.status !== 201) throw new Error(`could not schedule: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  }

  async function playbackOf(scheduleId: string): Promise<Body> {
    const answer = await call<{ items: Body[] }>(loa.people.editor, 'GET', `/api/playbacks?scheduleId=${scheduleId}`);
    expect(answer.status).toBe(200);
    expect(answer.body.items).toHaveLength(1);
    return answer.body.items[0];
  }

  async function waitForStatus(scheduleId: string, statuses: string[], timeoutMs = 40_000): Promise<Body> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const playback = await playbackOf(scheduleId);
      if (statuses.includes(playback.status)) return playback;
      if (Date.now() > deadline) throw new Error(`playback of ${scheduleId} still ${playback.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('stops the normal transmit through the driver, records it preempted and plays the emergency at once', async () => {
    const normal = await schedule(longBulletin, 4_000, 'normal');
    await planner.planOnce({ communeIds: [loa.places.commune.id] });
    // The emergency is scheduled once the device itself hears the normal bulletin (12 s on the speaker), for a few
    // seconds later: it comes while the normal one is on air, however late a loaded machine started it.
    await waitForStatus(normal, ['dispatching', 'playing']);
    const onAirBy = Date.now() + 20_000;
    while (!device.onAir) {
      if (Date.now() > onAirBy) throw new Error('the normal bulletin never went on air');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const emergency = await schedule(shortBulletin, 4_000, 'emergency');
    await planner.planOnce({ communeIds: [loa.places.commune.id] });
    const cut = await waitForStatus(normal, ['preempted', 'played', 'failed', 'missed']);
    const urgent = await waitForStatus(emergency, ['played', 'failed', 'missed']);

    expect(cut).toMatchObject({ status: 'preempted', failureCode: 'preempted_by_emergency', attempts: 1 });
    expect(urgent).toMatchObject({ status: 'played', attempts: 1, failureCode: null });
    expect(urgent.latenessMs).toBeGreaterThanOrEqual(0);
    expect(urgent.latenessMs).toBeLessThan(2_000);
    expect(urgent.evidence.level).toBe('device_reported');

    // The device saw the first transmit cut short and the second one played to the end.
    expect(device.transmissions.map((p) => p.outcome)).toEqual(['cut', 'played']);
    expect(device.transmissions[0].bytes).toBeLessThan(device.transmissions[0].contentLength);

    // The pre-empted worker never recorded over its pre-emption, even after it finished unwinding.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await playbackOf(normal)).toMatchObject({ status: 'preempted', failureCode: 'preempted_by_emergency' });
  });

  it('fences the speaker lease on Redis: priority before normal, take-over only by compare-and-set', async () => {
    const queue = loa.app.get<Queue>(getQueueToken(QueueName.Playback));
    const leases = new SpeakerLeases((await queue.client) as unknown as LeaseRedis, `lease-test-${randomUUID()}`);
    const speaker = randomUUID();
    const normal = await leases.acquire(speaker, 'normal-1', 'normal', 10_000);
    expect(normal).toMatchObject({ playbackId: 'normal-1', priority: 'normal' });
    // A priority playback finds the speaker busy and leaves its mark; the next normal one must let it go first.
    expect(await leases.acquire(speaker, 'priority-1', 'priority', 10_000)).toBeNull();
    await leases.release(speaker, normal!);
    expect(await leases.acquire(speaker, 'normal-2', 'normal', 10_000)).toBeNull();
    const priority = await leases.acquire(speaker, 'priority-1', 'priority', 10_000);
    expect(priority!.fence).toBeGreaterThan(normal!.fence);
    // Its mark is gone with it: once free again, a normal playback may take the speaker.
    await leases.release(speaker, priority!);
    const again = await leases.acquire(speaker, 'normal-2', 'normal', 10_000);
    expect(again).not.toBeNull();

    // An emergency takes over only the holder it saw; the old holder sees the loss and cannot free the new lease.
    expect(await leases.takeOver(speaker, normal!, 'emergency-1', 'emergency', 10_000)).toBeNull();
    const emergency = await leases.takeOver(speaker, (await leases.holder(speaker))!, 'emergency-1', 'emergency', 10_000);
    expect(emergency!.fence).toBeGreaterThan(again!.fence);
    expect(await leases.holds(speaker, again!)).toBe(false);
    await leases.release(speaker, again!);
    expect(await leases.holder(speaker)).toMatchObject({ playbackId: 'emergency-1' });
    // A stopped broadcast's playback loses its lease to nobody.
    expect(await leases.revoke(speaker, 'someone-else')).toBe(false);
    expect(await leases.revoke(speaker, 'emergency-1')).toBe(true);
    expect(await leases.holder(speaker)).toBeNull();
  });

  describe('POST /api/broadcasts/emergency and /stop', () => {
    it('plays a one-off at once, planned in the same request, and refuses what it cannot air', async () => {
      const before = device.transmissions.length;
      const answer = await call<Body>(loa.people.editor, 'POST', '/api/broadcasts/emergency', { bulletinId: shortBulletin, targets: { speakerIds: [axisSpeaker] } });
      expect(answer.status).toBe(201);
      expect(answer.body.playbacks).toHaveLength(1);
      expect(answer.body.playbacks[0]).toMatchObject({ scheduleId: answer.body.id, speakerId: axisSpeaker, priority: 'emergency' });
      // Queued, or already staged for its instant (its attempt committed) by the time the request answers.
      expect(['queued', 'dispatching']).toContain(answer.body.playbacks[0].status);
      expect(new Date(answer.body.playbacks[0].scheduledAt).getTime() - Date.now()).toBeLessThan(2_500);
      const schedule = await call<Body>(loa.people.editor, 'GET', `/api/schedules/${answer.body.id}`);
      expect(schedule.body).toMatchObject({ priority: 'emergency', status: 'active' });
      const played = await waitForStatus(answer.body.id, ['played', 'failed', 'missed']);
      expect(played).toMatchObject({ status: 'played', attempts: 1 });
      expect(device.transmissions.slice(before).map((p) => p.outcome)).toEqual(['played']);

      const until = await call<Body>(loa.people.editor, 'POST', '/api/broadcasts/emergency', {
        bulletinId: shortBulletin,
        targets: { speakerIds: [axisSpeaker] },
        until: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(until.status).toBe(400);
      const tooOften = await call<Body>(loa.people.editor, 'POST', '/api/broadcasts/emergency', {
        bulletinId: shortBulletin,
        targets: { speakerIds: [axisSpeaker] },
        repeatEveryMinutes: 0,
      });
      expect(tooOften.status).toBe(400);
      const noTargets = await call<Body>(loa.people.editor, 'POST', '/api/broadcasts/emergency', { bulletinId: shortBulletin, targets: {} });
      expect(noTargets.status).toBe(400);
    });

    it('repeats every N minutes until `until`, and a stop cuts the one on air and cancels the repeats', async () => {
      const before = device.transmissions.length;
      const until = new Date(Date.now() + 150 * 60_000).toISOString();
      const answer = await call<Body>(loa.people.editor, 'POST', '/api/broadcasts/emergency', {
        bulletinId: longBulletin,
        targets: { speakerIds: [axisSpeaker] },
        repeatEveryMinutes: 60,
        until,
      });
      expect(answer.status).toBe(201);
      const id = answer.body.id as string;
      const instants = answer.body.playbacks.map((p: Body) => new Date(p.scheduledAt).getTime());
      expect(instants).toHaveLength(3);
      expect(instants[1] - instants[0]).toBe(3_600_000);
      expect(instants[2] - instants[1]).toBe(3_600_000);

      // The first repeat is on air (12 s on the speaker; `dispatching` is committed before the instant, so the
      // device itself says when the transmit started): stop it.
      const deadline = Date.now() + 20_000;
      while (!device.transmissions.slice(before).some((p) => p.outcome === 'receiving')) {
        if (Date.now() > deadline) throw new Error('the emergency never went on air');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const stopped = await call<Body>(loa.people.editor, 'POST', `/api/broadcasts/${id}/stop`);
      const stopAnsweredAt = Date.now();
      expect(stopped.status).toBe(200);
      expect(stopped.body.id).toBe(id);
      expect(stopped.body.playbacks.map((p: Body) => [p.status, p.failureCode])).toEqual([
        ['preempted', 'broadcast_stopped'],
        ['cancelled', 'schedule_cancelled'],
        ['cancelled', 'schedule_cancelled'],
      ]);
      const settle = Date.now() + 5_000;
      while (device.transmissions.length === before || device.transmissions[device.transmissions.length - 1].outcome === 'receiving') {
        if (Date.now() > settle) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(device.transmissions.slice(before).map((p) => p.outcome)).toEqual(['cut']);
      // The stop dropped the connection, and the sound ended within a second of it: the device held no more.
      const [cut] = device.transmissions.slice(before);
      expect(cut.heardUntil!).toBeLessThanOrEqual(stopAnsweredAt + 1_000);
      // The worker unwinding never records over the stop.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const after = await call<{ items: Body[] }>(loa.people.editor, 'GET', `/api/playbacks?scheduleId=${id}`);
      expect(after.body.items.map((p) => p.status)).toEqual(['preempted', 'cancelled', 'cancelled']);
      expect((await call<Body>(loa.people.editor, 'GET', `/api/schedules/${id}`)).body.status).toBe('cancelled');

      expect((await call(loa.people.editor, 'POST', `/api/broadcasts/${id}/stop`)).status).toBe(409);
      expect((await call(loa.people.editor, 'POST', `/api/broadcasts/${randomUUID()}/stop`)).status).toBe(404);
    });
  });
});
