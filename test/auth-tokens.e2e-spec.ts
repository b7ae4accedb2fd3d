import { call } from './support/api';
import { decodePayload, forgeToken } from './support/jwt-forge';
import { createSession, login, Session } from './support/people';
import { startTestApp, TestApp } from './support/test-app';
import { Role } from '../src/auth/role';
import { User } from '../src/users/user.entity';

const SECRET = 'test-secret-for-loa-integration-tests-only';

describe('Sign-in tokens', () => {
  let loa: TestApp;

  beforeAll(async () => {
    loa = await startTestApp();
  });

  afterAll(async () => {
    await loa?.close();
  });

  const me = (token: string) => call(loa.url, 'GET', '/api/auth/me', undefined, { Authorization: `Bearer ${token}` });
  const freshEditor = () => createSession(loa.app, loa.url, Role.Editor, { communeIds: [loa.places.commune.id] });

  /** A token exactly like a real one, with some claims or header fields changed. */
  function variant(session: Session, payload: Record<string, unknown> = {}, header: Record<string, unknown> = {}, key: string | null = SECRET) {
    return forgeToken({ alg: 'HS256', typ: 'JWT', ...header }, { ...decodePayload(session.token), ...payload }, key);
  }

  it('answers a real token with the account, never with its password hash', async () => {
    const session = await freshEditor();
    const answer = await me(session.token);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ username: session.user.username, role: 'editor', communeIds: [loa.places.commune.id] });
    expect(JSON.stringify(answer.body)).not.toMatch(/argon2|passwordHash|tokenVersion/);
  });

  it('issues HS256 tokens with an audience, a type and at most 12 hours of life', async () => {
    const session = await freshEditor();
    const [header] = session.token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodePayload(session.token);
    expect(claims.aud).toBe('loa-api');
    expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(12 * 3600);
  });

  describe('refuses with 401', () => {
    let session: Session;
    beforeAll(async () => {
      session = await freshEditor();
      expect((await me(session.token)).status).toBe(200);
    });

    it.each([
      ['no token at all', () => null],
      ['alg: none', () => variant(session, {}, { alg: 'none' }, null)],
      ['a token signed with another key', () => variant(session, {}, {}, 'another-secret-that-is-long-enough-0000')],
      ['an expired token', () => variant(session, { exp: Math.floor(Date.now() / 1000) - 10 })],
      ['a token for another audience', () => variant(session, { aud: 'someone-else' })],
      ['a token of another type', () => variant(session, {}, { typ: 'refresh+jwt' })],
      ['a token from another issuer', () => variant(session, { iss: 'evil' })],
      ['a token for a user that does not exist', () => variant(session, { sub: '00000000-0000-4000-8000-000000000000' })],
      ['garbage', () => 'not.a.token'],
    ])('%s', async (_name, token) => {
      const value = token();
      const answer = value === null ? await call(loa.url, 'GET', '/api/auth/me') : await me(value);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(answer.body.message).toMatch(/sign in/i);
    });
  });

  it('ends every older token when the password changes', async () => {
    const session = await freshEditor();
    const changed = await call(session, 'POST', '/api/auth/password', { currentPassword: session.password, newPassword: 'Mật-khẩu-mới-rất-dài-2026' });
    expect(changed.status).toBe(204);
    expect((await me(session.token)).status).toBe(401);
    expect((await login(loa.url, session.user.username, session.password)).status).toBe(401);
    expect((await login(loa.url, session.user.username, 'Mật-khẩu-mới-rất-dài-2026')).status).toBe(200);
  });

  it('refuses a new password that is too short, common, or wrong current password', async () => {
    const session = await freshEditor();
    const attempts: Array<[Record<string, string>, RegExp]> = [
      [{ currentPassword: session.password, newPassword: 'short' }, /at least 8/],
      [{ currentPassword: session.password, newPassword: 'password123' }, /commonly used/],
      [{ currentPassword: session.password, newPassword: 'x'.repeat(200) }, /at most 128/],
      [{ currentPassword: 'wrong-one', newPassword: 'Một-mật-khẩu-tốt-2026' }, /current password is wrong/],
    ];
    for (const [body, message] of attempts) {
      const answer = await call(session, 'POST', '/api/auth/password', body);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(message);
    }
    expect((await me(session.token)).status).toBe(200);
  });

  it('ends a disabled account at once, and refuses its sign-in', async () => {
    const session = await freshEditor();
    expect((await call(loa.people.admin, 'PATCH', `/api/users/${session.user.id}`, { disabled: true })).status).toBe(200);
    const answer = await me(session.token);
    expect(answer.status).toBe(401);
    expect(answer.body.message).toMatch(/disabled/);
    expect((await login(loa.url, session.user.username, session.password)).status).toBe(401);
  });

  it('logout ends this token only; logout-all ends every token of the account', async () => {
    const session = await freshEditor();
    const second = (await login(loa.url, session.user.username, session.password)).body.accessToken as string;
    const third = (await login(loa.url, session.user.username, session.password)).body.accessToken as string;

    expect((await call(loa.url, 'POST', '/api/auth/logout', undefined, { Authorization: `Bearer ${session.token}` })).status).toBe(204);
    expect((await me(session.token)).status).toBe(401);
    expect((await me(second)).status).toBe(200);

    expect((await call(loa.url, 'POST', '/api/auth/logout-all', undefined, { Authorization: `Bearer ${second}` })).status).toBe(204);
    expect((await me(second)).status).toBe(401);
    expect((await me(third)).status).toBe(401);
    expect((await login(loa.url, session.user.username, session.password)).status).toBe(200);
  });

  it('ends the sessions of someone whose role changes, so the old role is not kept', async () => {
    const session = await freshEditor();
    await call(loa.people.admin, 'PATCH', `/api/users/${session.user.id}`, { role: 'viewer' });
    expect((await me(session.token)).status).toBe(401);
  });

  it('stores argon2id hashes with at least 19 MiB, 2 passes, 1 lane', async () => {
    const session = await freshEditor();
    const user = await loa.dataSource.getRepository(User).findOneByOrFail({ id: session.user.id });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$/);
    const parameter = (name: string) => Number(new RegExp(`[$,]${name}=(\\d+)`).exec(user.passwordHash)?.[1]);
    const [memory, passes, lanes] = [parameter('m'), parameter('t'), parameter('p')];
    expect(memory).toBeGreaterThanOrEqual(19456);
    expect(passes).toBeGreaterThanOrEqual(2);
    expect(lanes).toBe(1);
  });

  it('answers an unknown user and a wrong password the same way', async () => {
    const unknown = await login(loa.url, 'nobody-here', 'whatever-password');
    const wrong = await login(loa.url, loa.people.viewer.user.username, 'whatever-password');
    expect(unknown).toEqual(wrong);
    expect(unknown).toEqual({ status: 401, body: { statusCode: 401, error: 'Unauthorized', message: 'Wrong username or password' } });
  });
});

describe('Sign-in throttling: per account and address, never a lockout a stranger can cause', () => {
  let loa: TestApp;
  const WINDOW_SECONDS = 3;

  beforeAll(async () => {
    loa = await startTestApp({
      // The test's requests come through loopback, as from a reverse proxy that names the client's address.
      TRUST_PROXY: 'loopback',
      LOGIN_THROTTLE_WINDOW_SECONDS: String(WINDOW_SECONDS),
      LOGIN_THROTTLE_ACCOUNT_ADDRESS_LIMIT: '4',
      LOGIN_THROTTLE_IP_LIMIT: '10000',
      // Slowed down after two failures from anywhere, by at most a fifth of a second so that the test stays short.
      LOGIN_SLOWDOWN_AFTER_FAILURES: '2',
      LOGIN_SLOWDOWN_MAX_MS: '200',
    });
  });

  afterAll(async () => {
    await loa?.close();
  });

  const attempt = (username: string, password: string, forwardedFor: string) =>
    call(loa.url, 'POST', '/api/auth/login', { username, password }, { 'X-Forwarded-For': forwardedFor });

  it('refuses a guesser at their own address after the limit, with Retry-After, and lets that address try again after the window', async () => {
    const target = loa.people.approver;
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<typeof attempt>> | undefined;
    for (let i = 0; i < 7; i++) {
      const answer = await attempt(target.user.username, `guess-${i}`, '203.0.113.50');
      statuses.push(answer.status);
      if (answer.status === 429) throttled ??= answer;
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429]);
    const retryAfter = Number(throttled!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(throttled!.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(throttled!.body.message).toMatch(/try again in \d+ seconds/);

    // The owner, from their own address, is not refused meanwhile.
    expect((await attempt(target.user.username, target.password, '198.51.100.20')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, (retryAfter + 0.5) * 1000));
    expect((await attempt(target.user.username, 'guess-again', '203.0.113.50')).status).toBe(401);
  });

  it("never answers the right password with 429, however often a stranger elsewhere failed the account's password", async () => {
    const victim = loa.people.viewer;
    const strangers: number[] = [];
    // One stranger hammering from one address, then others spread over many.
    for (let i = 0; i < 10; i++) strangers.push((await attempt(victim.user.username, `guess-${i}`, '203.0.113.7')).status);
    for (let i = 0; i < 10; i++) strangers.push((await attempt(victim.user.username, `guess-${i}`, `192.0.2.${i + 1}`)).status);
    expect(strangers.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(strangers.slice(4, 10)).toEqual([429, 429, 429, 429, 429, 429]);
    expect(strangers.slice(10)).toEqual(Array(10).fill(401));

    // The owner, from their address: a typo counts as theirs, and the right password gets in each time.
    expect((await attempt(victim.user.username, 'my-typo', '198.51.100.7')).status).toBe(401);
    for (let i = 0; i < 3; i++) {
      const answer = await attempt(victim.user.username, victim.password, '198.51.100.7');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ tokenType: 'Bearer', user: { id: victim.user.id } });
    }
  });

  it('counts other accounts separately', async () => {
    expect((await attempt(loa.people.editor.user.username, loa.people.editor.password, '203.0.113.7')).status).toBe(200);
  });
});

describe('Sign-in throttling per address ignores X-Forwarded-For unless a proxy is trusted', () => {
  let loa: TestApp;

  beforeAll(async () => {
    loa = await startTestApp({ LOGIN_THROTTLE_WINDOW_SECONDS: '30', LOGIN_THROTTLE_ACCOUNT_ADDRESS_LIMIT: '100', LOGIN_THROTTLE_IP_LIMIT: '30' });
  });

  afterAll(async () => {
    await loa?.close();
  });

  it('throttles one address spraying many accounts, whatever X-Forwarded-For claims', async () => {
    const statuses: number[] = [];
    // startTestApp already signed in 8 people from this address.
    for (let i = 0; i < 30; i++) {
      const answer = await call(loa.url, 'POST', '/api/auth/login', { username: `user-${i}`, password: 'guess' }, { 'X-Forwarded-For': `192.0.2.${i}` });
      statuses.push(answer.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.indexOf(429)).toBe(30 - 8);
  });
});
