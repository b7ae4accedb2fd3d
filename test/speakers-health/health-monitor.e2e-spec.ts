import { randomUUID } from 'node:crypto';
import { SchedulerRegistry } from '@nestjs/schedule';
import { getRepositoryToken } from '@nestjs/typeorm';
import { HealthSweepReport, SpeakerHealthMonitor } from '../../src/speakers/health/health-monitor';
import { SpeakerHealthService } from '../../src/speakers/health/speaker-health.service';
import { SpeakerHealthCheck } from '../../src/speakers/speaker-health-check.entity';
import { Speaker } from '../../src/speakers/speaker.entity';
import { AxisSpeaker } from '../devices/axis-speaker';
import { call } from '../support/api';
import { freePort } from '../support/free-port';
import { startTestApp, TestApp } from '../support/test-app';

const PASSWORD = 'Loa-Axis-Sức-khỏe-4821';
/** Short timeouts: unreachable speakers left in the shared database by other files must not slow the sweeps down. */
const SPEAKER_ENV = { SPEAKER_CONNECT_TIMEOUT_MS: '500', SPEAKER_RESPONSE_TIMEOUT_MS: '2000', SPEAKER_OFFLINE_AFTER_FAILURES: '3' };
const DAY_MS = 24 * 3600_000;

interface HealthAnswer {
  status: string;
  statusDetail: string | null;
  statusChangedAt: string | null;
  lastSeenAt: string | null;
  lastCheckedAt: string | null;
  consecutiveFailures: number;
  history: { id: string; ok: boolean; errorKind: string | null; status: string; at: string }[];
}

/**
 * The periodic health sweep against Axis speakers modelled from VAPIX (test/devices) over real HTTP. The sweep covers every enabled speaker of
 * the (shared) test database, so assertions look only at this file's speakers.
 */
describe('Speaker health monitor', () => {
  let loa: TestApp;
  /** A second API instance on the same database, as in a scaled deployment. */
  let twin: TestApp;
  const started: AxisSpeaker[] = [];

  beforeAll(async () => {
    [loa, twin] = await Promise.all([startTestApp(SPEAKER_ENV), startTestApp(SPEAKER_ENV)]);
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((device) => device.close()));
  });

  afterAll(async () => {
    await Promise.all([loa?.close(), twin?.close()]);
  });

  /** An Axis speaker modelled from VAPIX, on `port` (default: a free one). */
  async function axisSpeaker(port = 0): Promise<AxisSpeaker> {
    const device = await AxisSpeaker.start({ password: PASSWORD, port });
    started.push(device);
    return device;
  }

  /** The address of a speaker that is gone: nothing listens there (connection refused). */
  async function gone(): Promise<{ url: string }> {
    return { url: `http://127.0.0.1:${await freePort()}` };
  }

  /** Registers an Axis speaker in the first village as the admin, over the API. */
  async function register(url: string, overrides: { password?: string; enabled?: boolean } = {}): Promise<string> {
    const answer = await call(loa.people.admin, 'POST', '/api/speakers', {
      villageId: loa.places.village.id,
      name: `Cụm loa ${randomUUID().slice(0, 8)}`,
      driver: 'axis-vapix',
      settings: { url },
      secrets: { username: 'root', password: overrides.password ?? PASSWORD },
      ...(overrides.enabled === undefined ? {} : { enabled: overrides.enabled }),
    });
    if (answer.status !== 201) throw new Error(`could not register a speaker: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  }

  async function healthOf(speakerId: string): Promise<HealthAnswer> {
    const answer = await call<HealthAnswer>(loa.people.admin, 'GET', `/api/speakers/${speakerId}/health`);
    expect(answer.status).toBe(200);
    return answer.body;
  }

  async function sweep(app: TestApp = loa): Promise<HealthSweepReport> {
    const report = await app.app.get(SpeakerHealthMonitor).sweepOnce({ spreadMs: 0 });
    expect(report.swept).toBe(true);
    return report;
  }

  /** The health requests a device answered with its password accepted: the checks it really received. */
  function authorisedChecks(device: AxisSpeaker): number {
    return device.requests.filter((request) => request.target.startsWith('/axis-cgi/param.cgi?') && request.authorized && request.status === 200).length;
  }

  /** A monitor of the first app built anew, as the next process start would have it (nothing pruned yet, not stopping). */
  function freshMonitor(): SpeakerHealthMonitor {
    const app = loa.app;
    return new SpeakerHealthMonitor(
      app.get(getRepositoryToken(Speaker)),
      app.get(getRepositoryToken(SpeakerHealthCheck)),
      loa.dataSource,
      app.get(SpeakerHealthService),
      loa.config,
      new SchedulerRegistry(),
    );
  }

  it('marks an answering speaker online and records when it was last seen', async () => {
    const device = await axisSpeaker();
    const id = await register(device.url);
    expect((await healthOf(id)).status).toBe('unknown');

    const before = Date.now();
    await sweep();

    const health = await healthOf(id);
    expect(health.status).toBe('online');
    expect(new Date(health.lastSeenAt!).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(health.history).toHaveLength(1);
    expect(health.history[0]).toMatchObject({ ok: true, errorKind: null, status: 'online' });
    expect(device.requests.some((request) => request.target.startsWith('/axis-cgi/param.cgi?'))).toBe(true);
  });

  it('makes an unreachable speaker degraded at its first miss and offline after SPEAKER_OFFLINE_AFTER_FAILURES misses', async () => {
    const device = await gone();
    const id = await register(device.url);
    const offlineAfter = loa.config.speakers.offlineAfterFailures;

    await sweep();
    expect(await healthOf(id)).toMatchObject({ status: 'degraded', consecutiveFailures: 1, lastSeenAt: null });

    for (let round = 2; round < offlineAfter; round++) await sweep();
    expect((await healthOf(id)).status).toBe('degraded');

    await sweep();
    const health = await healthOf(id);
    expect(health).toMatchObject({ status: 'offline', consecutiveFailures: offlineAfter, lastSeenAt: null });
    // The history keeps the changes: the first miss (degraded) and the one that made it offline.
    expect(health.history.map((check) => [check.status, check.errorKind])).toEqual([
      ['offline', 'unreachable'],
      ['degraded', 'unreachable'],
    ]);
  });

  it('keeps each change in the history, and one check an hour while nothing changes', async () => {
    const device = await axisSpeaker();
    const id = await register(device.url);
    const checksOf = async () => (await healthOf(id)).history.map((check) => [check.ok, check.status]);

    for (let round = 0; round < 3; round++) await sweep();
    expect(authorisedChecks(device)).toBe(3);
    expect(await checksOf()).toEqual([[true, 'online']]);

    // An hour later with nothing new, the sweep writes its heartbeat.
    await loa.dataSource.query(`UPDATE speaker_health_checks SET at = at - interval '61 minutes' WHERE speaker_id = $1`, [id]);
    await sweep();
    expect(await checksOf()).toEqual([
      [true, 'online'],
      [true, 'online'],
    ]);

    // A refused password is news; the same refusal again, still degraded, is not; a check someone asks for is kept.
    expect((await call(loa.people.admin, 'PATCH', `/api/speakers/${id}`, { secrets: { username: 'root', password: 'đã-đổi-ở-thiết-bị' } })).status).toBe(200);
    await sweep();
    await sweep();
    expect(await checksOf()).toEqual([
      [false, 'degraded'],
      [true, 'online'],
      [true, 'online'],
    ]);
    const asked = await call<{ id?: string }>(loa.people.admin, 'POST', `/api/speakers/${id}/check`);
    expect((await healthOf(id)).history[0].id).toBe(asked.body.id);
  });

  it('tells a refused password apart from an unreachable speaker', async () => {
    const device = await axisSpeaker();
    const id = await register(device.url, { password: 'not-the-device-password' });

    await sweep();

    const health = await healthOf(id);
    expect(health.status).toBe('degraded');
    expect(health.history[0]).toMatchObject({ ok: false, errorKind: 'auth' });
  });

  it('brings a speaker back online when its device answers again', async () => {
    const port = await freePort();
    const id = await register(`http://127.0.0.1:${port}`);
    for (let round = 0; round < loa.config.speakers.offlineAfterFailures; round++) await sweep();
    const down = await healthOf(id);
    expect(down.status).toBe('offline');

    await axisSpeaker(port);
    await sweep();

    const health = await healthOf(id);
    expect(health).toMatchObject({ status: 'online', consecutiveFailures: 0 });
    expect(health.lastSeenAt).not.toBeNull();
    expect(new Date(health.statusChangedAt!).getTime()).toBeGreaterThan(new Date(down.statusChangedAt!).getTime());
    expect(health.history[0]).toMatchObject({ ok: true, status: 'online' });
  });

  it('never checks a disabled speaker', async () => {
    const device = await axisSpeaker();
    const id = await register(device.url, { enabled: false });

    await sweep();
    await sweep();

    const health = await healthOf(id);
    expect(health).toMatchObject({ status: 'unknown', lastCheckedAt: null, history: [] });
    expect(device.requests).toHaveLength(0);
  });

  it('sweeps on one instance only when two instances start the same round: one new check per speaker per round', async () => {
    const answering = await Promise.all([axisSpeaker(), axisSpeaker()]);
    const ids = await Promise.all([...answering, await gone()].map((device) => register(device.url)));
    const monitors = [loa, twin].map((app) => app.app.get(SpeakerHealthMonitor));
    const rounds = 3;

    for (let round = 1; round <= rounds; round++) {
      const reports = await Promise.all(monitors.map((monitor) => monitor.sweepOnce({ spreadMs: 300 })));
      expect(reports.filter((report) => report.swept)).toHaveLength(1);
      expect(reports.filter((report) => !report.swept)).toEqual([{ swept: false, reason: 'another instance is sweeping' }]);
      // Each device answered one authorised health request this round, whichever instance sent it; the unreachable
      // one counts one more miss.
      for (const device of answering) expect(authorisedChecks(device)).toBe(round);
      expect((await healthOf(ids[2])).consecutiveFailures).toBe(round);
    }
  });

  it('lets the other instance sweep once the first has finished its round', async () => {
    const device = await axisSpeaker();
    await register(device.url);

    await sweep(loa);
    await sweep(twin);

    expect(authorisedChecks(device)).toBe(2);
  });

  it('stops a sweep at shutdown without waiting for the rest of its window', async () => {
    const devices = await Promise.all([axisSpeaker(), axisSpeaker(), axisSpeaker()]);
    const ids = await Promise.all(devices.map((device) => register(device.url)));
    const monitor = freshMonitor();

    const sweeping = monitor.sweepOnce({ spreadMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopStartedAt = Date.now();
    await monitor.beforeApplicationShutdown();
    const report = await sweeping;

    expect(Date.now() - stopStartedAt).toBeLessThan(3_000);
    expect(report).toMatchObject({ swept: true });
    expect(report.swept && report.skipped).toBeGreaterThan(0);
    expect(await monitor.sweepOnce({ spreadMs: 0 })).toEqual({ swept: false, reason: 'shutting down' });
    // The lock went with it: the running app sweeps again at once.
    await sweep();
    expect(devices.every((device) => authorisedChecks(device) >= 1)).toBe(true);
    expect((await Promise.all(ids.map(healthOf))).every((health) => health.history.length >= 1)).toBe(true);
  });

  it('prunes checks older than 30 days, at most once a day', async () => {
    const device = await axisSpeaker();
    const id = await register(device.url);
    const insertCheck = (ageMs: number) =>
      loa.dataSource
        .query(`INSERT INTO speaker_health_checks (speaker_id, at, ok, latency_ms, detail, status) VALUES ($1, $2, false, 0, 'old', 'degraded') RETURNING id`, [
          id,
          new Date(Date.now() - ageMs),
        ])
        .then((rows: { id: string }[]) => rows[0].id);
    const remaining = async (checkIds: string[]) =>
      ((await loa.dataSource.query('SELECT id FROM speaker_health_checks WHERE id = ANY($1) ORDER BY id', [checkIds])) as { id: string }[]).map((row) => row.id);
    const old = await insertCheck(40 * DAY_MS);
    const recent = await insertCheck(29 * DAY_MS);
    const monitor = freshMonitor();

    const first = await monitor.sweepOnce({ spreadMs: 0 });

    expect(first).toMatchObject({ swept: true });
    expect(first.swept && first.pruned).toBeGreaterThanOrEqual(1);
    expect(await remaining([old, recent])).toEqual([recent]);

    const oldAgain = await insertCheck(40 * DAY_MS);
    const second = await monitor.sweepOnce({ spreadMs: 0 });
    expect(second).toMatchObject({ swept: true, pruned: 0 });
    expect(await remaining([oldAgain])).toEqual([oldAgain]);
    await monitor.beforeApplicationShutdown();
  });
});
