import { INestApplication } from '@nestjs/common';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { AppConfig } from '../../src/config/app-config';
import { loadLocalEnvironment } from '../../src/config/local-environment';
import { call } from '../support/api';
import { freePort } from '../support/free-port';

const run = promisify(execFile);
const REPO = resolve(__dirname, '../..');

/** Why this machine cannot host the test: it creates a PostgreSQL cluster and runs the set-up as root. */
function unfitMachine(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  if (!existsSync('/usr/bin/pg_createcluster')) return 'no pg_createcluster (Debian postgresql-common)';
  if (!existsSync('/usr/bin/redis-server')) return 'no redis-server';
  return null;
}

/** The newest PostgreSQL Debian installed (/usr/lib/postgresql/<version>). */
function postgresVersion(): string {
  return readdirSync('/usr/lib/postgresql')
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))[0];
}

const unfit = unfitMachine();
if (unfit) process.stderr.write(`Skipping the set-up tests on a stock Debian PostgreSQL: ${unfit}\n`);

/**
 * README's promise on a bare Debian machine: scripts/local-services.sh (what `npm run demo` and `npm test` run)
 * gives Loa its own roles on a PostgreSQL that authenticates as Debian ships it (peer on the socket, scram over TCP,
 * no trust), keeps their connection strings in .env.local, and the service runs on them. Here on a second cluster
 * and a second Redis, so the machine's own are not touched.
 */
(unfit ? describe.skip : describe)(`The set-up on Debian's stock PostgreSQL${unfit ? ` (skipped: ${unfit})` : ''}`, () => {
  const cluster = `loa_setup_${process.pid}_${randomUUID().slice(0, 6)}`;
  const version = unfit ? '' : postgresVersion();
  let dir: string;
  let envFile: string;
  let pgPort: number;
  let redisPort: number;
  let redis: ChildProcess | undefined;
  let clusterCreated = false;
  let app: INestApplication | undefined;
  let firstRun: { stdout: string };

  function setUp(): Promise<{ stdout: string }> {
    return run('bash', ['scripts/local-services.sh'], {
      cwd: REPO,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOA_POSTGRES_PORT: String(pgPort), LOA_REDIS_PORT: String(redisPort), LOA_ENV_FILE: envFile },
    });
  }

  async function redisAnswers(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await run('redis-cli', ['-p', String(redisPort), 'ping']).then(({ stdout }) => {
          if (stdout.trim() !== 'PONG') throw new Error(stdout);
        });
        return;
      } catch (error) {
        if (attempt === 100) throw error;
        await new Promise((done) => setTimeout(done, 100));
      }
    }
  }

  /** The cluster's roles as its superuser sees them, passwords' hashes included. */
  async function roles(): Promise<string> {
    const sql = "SELECT string_agg(format('%s %s %s %s %s', rolname, rolsuper, rolcreatedb, rolcreaterole, rolpassword), E'\\n' ORDER BY rolname) FROM pg_authid";
    const { stdout } = await run('runuser', ['-u', 'postgres', '--', 'psql', '-p', String(pgPort), '-qtAXc', sql], { cwd: '/' });
    return stdout;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loa-setup-'));
    envFile = join(dir, '.env.local');
    pgPort = await freePort();
    redisPort = await freePort();
    // No --auth options: the cluster's pg_hba.conf is Debian's stock one.
    await run('pg_createcluster', [version, cluster, '--port', String(pgPort), '--start']);
    clusterCreated = true;
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    // Answering before the set-up looks, or it would start a Redis of its own on that port.
    await redisAnswers();
    firstRun = await setUp();
  }, 120_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    if (clusterCreated) await run('pg_dropcluster', ['--stop', version, cluster]).catch(() => undefined);
    redis?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('refuses the password-less postgres login the scripts once relied on', async () => {
    const client = new Client({ connectionString: `postgres://postgres@127.0.0.1:${pgPort}/postgres` });
    await expect(client.connect()).rejects.toThrow();
    await client.end().catch(() => undefined);
  });

  it("creates Loa's roles and keeps their connection strings in .env.local, readable by its owner only", async () => {
    expect(firstRun.stdout).toContain('Creating the PostgreSQL role loa_test');
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    const env: NodeJS.ProcessEnv = {};
    loadLocalEnvironment(env, envFile);
    expect(env.REDIS_URL).toBe(`redis://127.0.0.1:${redisPort}`);
    expect(new URL(env.DEMO_DATABASE_URL!).port).toBe(String(pgPort));
    const lines = (await roles()).split('\n');
    expect(lines.find((line) => line.startsWith('loa '))).toMatch(/^loa f f f SCRAM-SHA-256\$/);
    expect(lines.find((line) => line.startsWith('loa_service '))).toMatch(/^loa_service f f f SCRAM-SHA-256\$/);
    expect(lines.find((line) => line.startsWith('loa_test '))).toMatch(/^loa_test f t t SCRAM-SHA-256\$/);
    // The test role does what the suite does: creates and drops databases (test/support/migrated-database.ts) and
    // turns triggers off as an attacker would (test/airtime/airtime-fixtures.ts).
    const tests = new Client({ connectionString: env.TEST_ADMIN_DATABASE_URL });
    await tests.connect();
    try {
      await tests.query('SET session_replication_role = replica');
      await tests.query('CREATE DATABASE loa_setup_probe');
      await tests.query('DROP DATABASE loa_setup_probe WITH (FORCE)');
    } finally {
      await tests.end();
    }
  });

  it("prepares the demo's database and the service is healthy on it, as its own role", async () => {
    const env: NodeJS.ProcessEnv = {};
    loadLocalEnvironment(env, envFile);
    // As scripts/demo.sh runs it: the owner migrates and grants, the service queries as loa_service.
    const config = AppConfig.fromEnvironment({
      DATABASE_MIGRATION_URL: env.DEMO_DATABASE_MIGRATION_URL,
      DATABASE_URL: env.DEMO_DATABASE_URL,
      REDIS_URL: env.REDIS_URL,
      QUEUE_PREFIX: 'loa-setup',
      AUDIO_DIR: join(dir, 'audio'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      PLANNER: 'false',
      SPEAKER_HEALTH_MONITOR: 'false',
      LOA_DEVELOPMENT_KEYS: 'true',
    });
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const health = await call(`http://127.0.0.1:${port}`, 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
    const [{ user, database, migrations }] = (await app
      .get(DataSource)
      .query('SELECT current_user AS user, current_database() AS database, (SELECT count(*)::int FROM migrations) AS migrations')) as [
      { user: string; database: string; migrations: number },
    ];
    expect({ user, database }).toEqual({ user: 'loa_service', database: 'loa_demo' });
    expect(migrations).toBeGreaterThan(0);
  });

  it('changes nothing when it runs again: same .env.local, same roles and passwords', async () => {
    const envBefore = await readFile(envFile, 'utf8');
    const rolesBefore = await roles();
    const second = await setUp();
    expect(second.stdout).toBe('');
    expect(await readFile(envFile, 'utf8')).toBe(envBefore);
    expect(await roles()).toBe(rolesBefore);
  });
  it('sets new passwords, and writes them, when .env.local was deleted', async () => {
    const before = await readFile(envFile, 'utf8');
    await rm(envFile);
    const again = await setUp();
    expect(again.stdout).toContain('Setting a new password for the PostgreSQL role loa_test');
    const after = await readFile(envFile, 'utf8');
    expect(after).not.toBe(before);
    const env: NodeJS.ProcessEnv = {};
    loadLocalEnvironment(env, envFile);
    for (const url of [env.DEMO_DATABASE_MIGRATION_URL, env.DEMO_DATABASE_URL, env.TEST_ADMIN_DATABASE_URL]) {
      const client = new Client({ connectionString: url });
      await client.connect();
      await client.end();
    }
  });
});
