import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { call } from './support/api';
import { login } from './support/people';
import { startTestApp, TestApp } from './support/test-app';
import { WorkerProcess } from './support/worker-process';
import { freePort } from './support/free-port';

const execFileAsync = promisify(execFile);
const ROOT = join(__dirname, '..');

interface AuditRow {
  actorUsername: string | null;
  action: string;
  resourceId: string | null;
  outcome: string;
  statusCode: number | null;
  ip: string | null;
}

describe('Accounts, the audit log and the first admin', () => {
  let loa: TestApp;

  beforeAll(async () => {
    loa = await startTestApp();
  });

  afterAll(async () => {
    await loa?.close();
  });

  const audit = async (query: string) => (await call<{ items: AuditRow[]; total: number }>(loa.people.admin, 'GET', `/api/audit?${query}`)).body;

  describe('user management (admins)', () => {
    it('creates an editor for a commune, who can then sign in; the answer never holds the password or its hash', async () => {
      const password = 'Biên-tập-viên-2026';
      const created = await call(loa.people.admin, 'POST', '/api/users', {
        username: 'Hoa.Nguyen',
        displayName: 'Nguyễn Thị Hoa',
        role: 'editor',
        password,
        communeIds: [loa.places.commune.id],
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ username: 'hoa.nguyen', role: 'editor', communeIds: [loa.places.commune.id], disabled: false });
      expect(JSON.stringify(created.body)).not.toMatch(/Biên-tập|argon2|passwordHash/);
      expect((await login(loa.url, 'HOA.NGUYEN', password)).status).toBe(200);

      const listed = await call(loa.people.admin, 'GET', `/api/users?communeId=${loa.places.commune.id}&role=editor`);
      expect(JSON.stringify(listed.body)).toContain('hoa.nguyen');
      expect(JSON.stringify(listed.body)).not.toMatch(/argon2|passwordHash/);
    });

    it.each([
      [{ role: 'editor', password: 'Mật-khẩu-tốt-2026' }, /needs at least one commune/],
      [{ role: 'operator', password: 'Mật-khẩu-tốt-2026' }, /needs at least one village/],
      [{ role: 'editor', password: 'Mật-khẩu-tốt-2026', communeIds: ['00000000-0000-4000-8000-000000000000'] }, /does not exist/],
      [{ role: 'viewer', password: 'qwerty123', communeIds: [] as string[] }, /commonly used/],
      [{ role: 'admin', password: 'short' }, /at least 8/],
      [{ role: 'chief', password: 'Mật-khẩu-tốt-2026' }, /role must be one of/],
    ])('refuses %j with a message', async (fields, message) => {
      const answer = await call(loa.people.admin, 'POST', '/api/users', { username: `u-${randomUUID().slice(0, 6)}`, displayName: 'X', ...fields });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(message);
    });

    it('refuses a username that is taken', async () => {
      const answer = await call(loa.people.admin, 'POST', '/api/users', {
        username: loa.people.viewer.user.username.toUpperCase(),
        displayName: 'X',
        role: 'admin',
        password: 'Mật-khẩu-tốt-2026',
      });
      expect(answer.status).toBe(409);
    });

    it('resets a forgotten password: the old one and its sessions stop working', async () => {
      const target = loa.people.otherApprover;
      expect((await call(loa.people.admin, 'POST', `/api/users/${target.user.id}/password`, { password: 'Mật-khẩu-cấp-lại-2026' })).status).toBe(204);
      expect((await call(target, 'GET', '/api/auth/me')).status).toBe(401);
      expect((await login(loa.url, target.user.username, target.password)).status).toBe(401);
      expect((await login(loa.url, target.user.username, 'Mật-khẩu-cấp-lại-2026')).status).toBe(200);
    });
  });

  describe('audit log', () => {
    it('records sign-ins that succeed and fail, with who, when and from where', async () => {
      await login(loa.url, loa.people.viewer.user.username, 'a-wrong-password');
      await login(loa.url, loa.people.viewer.user.username, loa.people.viewer.password);
      const { items } = await audit(`action=auth.login&actor=${loa.people.viewer.user.username}`);
      expect(items.slice(0, 2)).toEqual([
        expect.objectContaining({ outcome: 'success', statusCode: 200, ip: expect.stringContaining('127.0.0.1') }),
        expect.objectContaining({ outcome: 'failure', statusCode: 401 }),
      ]);
    });

    it('records a mutation with its actor and resource, and a denied one', async () => {
      const name = `Thôn Kiểm Tra ${randomUUID().slice(0, 6)}`;
      const created = await call(loa.people.admin, 'POST', '/api/villages', { communeId: loa.places.commune.id, name });
      await call(loa.people.editor, 'POST', '/api/villages', { communeId: loa.places.commune.id, name: `${name} 2` });
      const { items } = await audit('action=/api/villages&pageSize=10');
      expect(items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actorUsername: loa.people.admin.user.username,
            action: 'POST /api/villages',
            resourceId: created.body.id,
            outcome: 'success',
            statusCode: 201,
          }),
          expect.objectContaining({ actorUsername: loa.people.editor.user.username, action: 'POST /api/villages', outcome: 'denied', statusCode: 403 }),
        ]),
      );
    });

    it('logs an attempt to reach a resource outside the caller scope, which answers 404', async () => {
      const answer = await call(loa.people.otherEditor, 'GET', `/api/villages/${loa.places.village.id}`);
      expect(answer.status).toBe(404);
      const { items } = await audit(`actor=${loa.people.otherEditor.user.username}&outcome=denied`);
      expect(items[0]).toMatchObject({ action: 'GET /api/villages/:id', resourceId: loa.places.village.id, statusCode: 404 });
    });

    it('filters by time and outcome and refuses a bad filter', async () => {
      const future = await audit(`from=${new Date(Date.now() + 3600_000).toISOString()}`);
      expect(future.total).toBe(0);
      const bad = await call(loa.people.admin, 'GET', '/api/audit?outcome=maybe');
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/outcome/);
    });

    it.each(['UPDATE audit_log SET action = $$forged$$', 'DELETE FROM audit_log', 'TRUNCATE audit_log'])(
      'is refused by the database itself: %s',
      async (statement) => {
        const before = await loa.dataSource.query('SELECT count(*)::int AS n FROM audit_log');
        await expect(loa.dataSource.query(statement)).rejects.toThrow(/append-only/);
        expect(await loa.dataSource.query('SELECT count(*)::int AS n FROM audit_log')).toEqual(before);
      },
    );
  });

  describe('the first admin', () => {
    it('a fresh installation has no account at all', async () => {
      const name = `loa_fresh_${process.pid}_${Date.now()}`;
      const admin = new Client({ connectionString: loa.config.database.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = new URL(loa.config.database.url);
      url.pathname = `/${name}`;
      const fresh = new DataSource(dataSourceOptions(AppConfig.fromEnvironment({ DATABASE_URL: url.toString() }, [])));
      try {
        await fresh.initialize();
        await fresh.runMigrations();
        expect(await fresh.query('SELECT count(*)::int AS n FROM users')).toEqual([{ n: 0 }]);
      } finally {
        await fresh.destroy();
        await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
        await admin.end();
      }
    });

    it('is made by npm run user:create with the password from LOA_PASSWORD', async () => {
      const username = `chief-${randomUUID().slice(0, 6)}`;
      const { stdout } = await execFileAsync('npm', ['run', '--silent', 'user:create', '--', '--username', username, '--role', 'admin'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: loa.config.database.url, LOA_PASSWORD: 'Quản-trị-đầu-tiên-2026' },
      });
      expect(stdout).toContain(`Created admin "${username}"`);
      expect(stdout).not.toContain('Quản-trị-đầu-tiên-2026');
      expect((await login(loa.url, username, 'Quản-trị-đầu-tiên-2026')).status).toBe(200);
    });

    it('refuses a common password on the command line too, creating nothing', async () => {
      const username = `weak-${randomUUID().slice(0, 6)}`;
      const run = execFileAsync('npm', ['run', '--silent', 'user:create', '--', '--username', username, '--role', 'admin'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: loa.config.database.url, LOA_PASSWORD: 'password1' },
      });
      await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining('commonly used') });
      expect((await login(loa.url, username, 'password1')).status).toBe(401);
    });
  });

  describe('secrets in logs', () => {
    it('never writes a password, a hash or a token to the log, even at trace level', async () => {
      const port = await freePort();
      const service = WorkerProcess.start({
        ROLE: 'api',
        PORT: String(port),
        LOG_LEVEL: 'trace',
        DATABASE_URL: loa.config.database.url,
        QUEUE_PREFIX: loa.config.redis.queuePrefix,
        AUDIO_DIR: loa.audioDir,
        JWT_SECRET: 'test-secret-for-loa-integration-tests-only',
      });
      const url = `http://127.0.0.1:${port}`;
      try {
        const deadline = Date.now() + 60_000;
        while (
          (await fetch(`${url}/api/health`).then(
            (r) => r.status,
            () => 0,
          )) !== 200
        ) {
          if (Date.now() > deadline) throw new Error(`service did not start:\n${service.log}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        const admin = { ...loa.people.admin, url };
        const secrets = ['Mật-khẩu-đầu-tiên-2026', 'Sai-mật-khẩu-2026', 'Mật-khẩu-thứ-hai-2026', 'Mật-khẩu-cấp-lại-2026'];
        const username = `logcheck-${randomUUID().slice(0, 6)}`;
        const created = await call(admin, 'POST', '/api/users', { username, displayName: 'Log', role: 'admin', password: secrets[0] });
        await login(url, username, secrets[1]);
        const signedIn = await login(url, username, secrets[0]);
        const session = { ...admin, token: signedIn.body.accessToken as string };
        await call(session, 'POST', '/api/auth/password', { currentPassword: secrets[0], newPassword: secrets[2] });
        await call(admin, 'POST', `/api/users/${created.body.id}/password`, { password: secrets[3] });
        await call(admin, 'POST', '/api/users', { username, displayName: 'Log', role: 'admin', password: secrets[3] });
        const hash = (await loa.dataSource.query('SELECT password_hash FROM users WHERE username = $1', [username]))[0].password_hash as string;

        await service.stop('SIGTERM');
        const log = service.log;
        expect(log).toContain('"msg":"request completed"');
        expect(log).toContain('/api/auth/login');
        for (const secret of [...secrets, hash, '$argon2', loa.people.admin.token, session.token]) expect(log).not.toContain(secret);
      } finally {
        await service.stop('SIGKILL');
      }
    });
  });
});
