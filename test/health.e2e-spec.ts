import Redis from 'ioredis';
import { spawn } from 'node:child_process';
import { call } from './support/api';
import { freePort } from './support/free-port';
import { startTestApp, TestApp } from './support/test-app';

interface HealthAnswer {
  status?: string;
  statusCode?: number;
  message?: string;
  checks: Record<'database' | 'redis' | 'ffmpeg', { ok: boolean; error?: string }>;
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

  it('answers 200, without a token, when PostgreSQL, Redis and ffmpeg are usable', async () => {
    const answer = await healthOf({});
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 'ok',
      checks: { database: { ok: true }, redis: { ok: true }, ffmpeg: { ok: true } },
    });
  });

  it('answers 503 naming ffmpeg when it cannot be run', async () => {
    const answer = await healthOf({ FFMPEG_PATH: '/nonexistent/ffmpeg' });
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(answer.body.message).toMatch(/^Not usable: ffmpeg \(/);
    expect(answer.body.checks).toMatchObject({ database: { ok: true }, redis: { ok: true }, ffmpeg: { ok: false } });
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
      expect(down.body.message).toMatch(/^Not usable: redis \(/);
      expect(down.body.checks).toMatchObject({ database: { ok: true }, redis: { ok: false }, ffmpeg: { ok: true } });

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
