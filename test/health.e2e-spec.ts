import Redis from 'ioredis';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from './support/api';
import { freePort } from './support/free-port';
import { startTestApp, TestApp } from './support/test-app';

interface HealthAnswer {
  status?: string;
  statusCode?: number;
  message?: string;
  checks: Record<'database' | 'redis' | 'ffmpeg', 'ok' | 'unavailable'>;
}

interface HealthDetails {
  status: string;
  checks: Record<'database' | 'redis' | 'ffmpeg', { ok: boolean; error?: string; version?: string; checkedAt?: string }>;
}

/**
 * An ffmpeg that writes a line to `calls` each time it is run, then fails while `broken` exists and runs the real
 * ffmpeg otherwise.
 */
async function countingFfmpeg(): Promise<{ path: string; calls(): Promise<number>; breakIt(): Promise<void>; repair(): Promise<void>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'loa-ffmpeg-'));
  const path = join(dir, 'ffmpeg');
  await writeFile(path, `#!/bin/sh\necho "$*" >> '${dir}/calls'\n[ -e '${dir}/broken' ] && { echo 'ffmpeg: broken' >&2; exit 1; }\nexec ffmpeg "$@"\n`);
  await chmod(path, 0o755);
  return {
    path,
    calls: async () => (await readFile(join(dir, 'calls'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length,
    breakIt: () => writeFile(join(dir, 'broken'), ''),
    repair: () => rm(join(dir, 'broken'), { force: true }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

describe('GET /api/health', () => {
  const apps: TestApp[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  async function healthOf(environment: Record<string, string>) {
    const loa = await startTestApp(environment);
    apps.push(loa);
    return call<HealthAnswer>(loa.url, 'GET', '/api/health');
  }

  it('answers 200, without a token, when PostgreSQL, Redis and ffmpeg are usable, with nothing but "ok" for each', async () => {
    const answer = await healthOf({});
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok', ffmpeg: 'ok' } });
  });

  it('answers 503 naming ffmpeg when it cannot be run, without saying why; an admin reads why', async () => {
    const answer = await healthOf({ FFMPEG_PATH: '/nonexistent/ffmpeg' });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Not usable: ffmpeg',
      checks: { database: 'ok', redis: 'ok', ffmpeg: 'unavailable' },
    });
    const loa = apps[apps.length - 1];
    const details = await call<HealthDetails>(loa.people.admin, 'GET', '/api/health/details');
    expect(details.status).toBe(200);
    expect(details.body.status).toBe('unavailable');
    expect(details.body.checks.ffmpeg).toMatchObject({ ok: false, error: expect.stringContaining('/nonexistent/ffmpeg') });
    expect((await call(loa.people.editor, 'GET', '/api/health/details')).status).toBe(403);
  });

  it('runs ffmpeg once at start, however many health checks come, and tells an admin its version', async () => {
    const ffmpeg = await countingFfmpeg();
    try {
      const loa = await startTestApp({ FFMPEG_PATH: ffmpeg.path, HEALTH_FFMPEG_PROBE_SECONDS: '3600' });
      apps.push(loa);
      const answers = await Promise.all(Array.from({ length: 20 }, () => call<HealthAnswer>(loa.url, 'GET', '/api/health')));
      for (let round = 0; round < 10; round += 1) answers.push(await call<HealthAnswer>(loa.url, 'GET', '/api/health'));
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
      expect(await ffmpeg.calls()).toBe(1);
      const details = await call<HealthDetails>(loa.people.admin, 'GET', '/api/health/details');
      expect(details.body.checks.ffmpeg).toMatchObject({ ok: true, version: expect.stringMatching(/^ffmpeg version /) });
      expect(JSON.stringify(answers[0].body)).not.toMatch(/version/);
    } finally {
      await ffmpeg.remove();
    }
  });

  it('probes ffmpeg again on its interval: unavailable while it fails, ok once it runs again', async () => {
    const ffmpeg = await countingFfmpeg();
    try {
      await ffmpeg.breakIt();
      const loa = await startTestApp({ FFMPEG_PATH: ffmpeg.path, HEALTH_FFMPEG_PROBE_SECONDS: '1' });
      apps.push(loa);
      const broken = await call<HealthAnswer>(loa.url, 'GET', '/api/health');
      expect(broken.status).toBe(503);
      expect(broken.body.checks.ffmpeg).toBe('unavailable');
      await ffmpeg.repair();
      await until(async () => (await call(loa.url, 'GET', '/api/health')).status === 200, 'the next probe to find ffmpeg running');
      expect(await ffmpeg.calls()).toBeGreaterThan(1);
    } finally {
      await ffmpeg.remove();
    }
  });

  it('answers 503 naming Redis when Redis goes away, and 200 again when it is back', async () => {
    const port = await freePort();
    const start = () => spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    let redis = start();
    let loa: TestApp | undefined;
    try {
      await until(async () => await redisAnswers(port), 'the private Redis to start');
      loa = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` });
      const url = loa.url;
      expect((await call<HealthAnswer>(url, 'GET', '/api/health')).status).toBe(200);

      redis.kill('SIGKILL');
      const down = await call<HealthAnswer>(url, 'GET', '/api/health');
      expect(down.status).toBe(503);
      expect(down.body.message).toBe('Not usable: redis');
      expect(down.body.checks).toEqual({ database: 'ok', redis: 'unavailable', ffmpeg: 'ok' });

      redis = start();
      await until(() => redisAnswers(port), 'the private Redis to start again');
      await until(async () => (await call(url, 'GET', '/api/health')).status === 200, 'health to recover');
    } finally {
      // Closed while its Redis is up: closing drains queues held there (and would wait for a Redis that is gone).
      if (!(await redisAnswers(port))) {
        redis.kill('SIGKILL');
        redis = start();
        await until(() => redisAnswers(port), 'the private Redis, to close the app').catch(() => undefined);
      }
      await loa?.close();
      redis.kill('SIGKILL');
    }
  });
});

async function redisAnswers(port: number): Promise<boolean> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
