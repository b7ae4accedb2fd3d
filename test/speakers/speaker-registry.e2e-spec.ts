import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bulletin } from '../../src/bulletins/bulletin.entity';
import { BulletinStatus } from '../../src/bulletins/bulletin-status';
import { AxisSpeaker } from '../devices/axis-speaker';
import { HttpGateway } from '../devices/http-gateway';
import { mulawMs } from '../devices/mulaw';
import { SecretBox } from '../../src/security/secret-box';
import { Speaker } from '../../src/speakers/speaker.entity';
import { SpeakerTargets } from '../../src/speakers/speaker-targets';
import { Answer, call, listAll } from '../support/api';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { firstTopicId, uploadBulletin, waitUntilProcessed } from '../support/bulletin-client';
import { freePort } from '../support/free-port';
import { Session } from '../support/people';
import { driverAudioCacheOf } from '../support/speaker-audio';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkerProcess } from '../support/worker-process';

/** Emulated speakers play this much faster than real time; the service drives them with the same scale. */
const TIME_SCALE = 0.1;
const AXIS_PASSWORD = 'Loa-Axis-Mật-khẩu-7391';
const GATEWAY_KEY = 'gateway-key-Việt-An-0123456789abcdef-ZYX';
/** Sent in every invalid request: no answer may repeat it. */
const SECRET = 'S3cret-value-xyz';

type SpeakerAnswer = Answer<Record<string, unknown>>;

describe('Speaker registry: register, scope, check and play', () => {
  let loa: TestApp;
  let fixtures: string;
  const gateways: HttpGateway[] = [];
  const axisSpeakers: AxisSpeaker[] = [];
  /** Every secret this file sends, for the audit trail check. */
  const sentSecrets = new Set<string>([AXIS_PASSWORD, GATEWAY_KEY, SECRET]);

  beforeAll(async () => {
    loa = await startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    fixtures = await mkdtemp(join(tmpdir(), 'loa-speakers-'));
  });

  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
    await Promise.all(axisSpeakers.splice(0).map((speaker) => speaker.close()));
  });

  afterAll(async () => {
    await loa?.close();
    await rm(fixtures, { recursive: true, force: true });
  });

  const unique = () => randomUUID().slice(0, 8);

  /** A gateway modelled from docs/gateway.md (test/devices), sharing `key` with Loa. */
  async function gatewayModel(key: string, eventsUrl: string): Promise<HttpGateway> {
    const gateway = await HttpGateway.start({ key, eventsUrl, timeScale: TIME_SCALE });
    gateways.push(gateway);
    return gateway;
  }

  /** An Axis-style speaker modelled from VAPIX (test/devices), accepting root with `password`. */
  async function axisSpeaker(password: string): Promise<AxisSpeaker> {
    const speaker = await AxisSpeaker.start({ password, timeScale: TIME_SCALE });
    axisSpeakers.push(speaker);
    return speaker;
  }

  function axisBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      villageId: loa.places.village.id,
      name: `Cụm loa chợ ${unique()}`,
      driver: 'axis-vapix',
      settings: { url: 'http://10.0.0.5' },
      secrets: { username: 'root', password: AXIS_PASSWORD },
      location: { lat: 15.9621, lng: 108.2634 },
      tags: ['ven biển'],
      ...overrides,
    };
  }

  function manualBody(villageId = loa.places.village.id, name = `Cụm loa hữu tuyến ${unique()}`): Record<string, unknown> {
    return { villageId, name, driver: 'manual' };
  }

  /** Registers a speaker as the admin; a refusal fails the test with the service's message. */
  async function register(body: Record<string, unknown>): Promise<SpeakerAnswer> {
    const answer = await call(loa.people.admin, 'POST', '/api/speakers', body);
    if (answer.status !== 201) throw new Error(`could not register ${JSON.stringify(body.name)}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  }

  async function registered(body: Record<string, unknown>): Promise<string> {
    return (await register(body)).body.id as string;
  }

  async function storedRow(id: string): Promise<{ secrets_sealed: string | null; settings: string }> {
    const [row] = await loa.dataSource.query('SELECT secrets_sealed, settings::text AS settings FROM speakers WHERE id = $1', [id]);
    return row;
  }

  function expectNoSecret(answer: { body: unknown }, secrets: string[]): void {
    const json = JSON.stringify(answer.body);
    for (const secret of secrets) expect(json).not.toContain(secret);
    expect(json).not.toMatch(/secretsSealed|"secrets"|"password"|"key"/);
  }

  describe('registration', () => {
    it('registers Axis, gateway and manual speakers and never answers their secrets', async () => {
      const { village, commune } = loa.places;
      const axis = await register(axisBody({ name: 'Cụm loa chợ Việt An' }));
      expect(axis.status).toBe(201);
      expect(axis.body).toMatchObject({
        villageId: village.id,
        communeId: commune.id,
        name: 'Cụm loa chợ Việt An',
        driver: 'axis-vapix',
        settings: { url: 'http://10.0.0.5' },
        secretsSet: true,
        location: { lat: 15.9621, lng: 108.2634 },
        tags: ['ven biển'],
        enabled: true,
        status: 'unknown',
        lastSeenAt: null,
      });

      const gateway = await register({
        villageId: village.id,
        name: 'Cụm loa qua cổng nhà văn hóa',
        driver: 'http-gateway',
        settings: { url: 'https://gateway.example.vn/loa' },
        secrets: { key: GATEWAY_KEY },
      });
      expect(gateway.status).toBe(201);
      expect(gateway.body).toMatchObject({
        driver: 'http-gateway',
        settings: { url: 'https://gateway.example.vn/loa' },
        secretsSet: true,
        location: null,
        tags: [],
      });

      const manual = await register(manualBody(village.id, 'Cụm loa FM thôn Phú Mỹ'));
      expect(manual.status).toBe(201);
      expect(manual.body).toMatchObject({ driver: 'manual', settings: {}, secretsSet: false });

      const secrets = [AXIS_PASSWORD, GATEWAY_KEY];
      const admin = loa.people.admin;
      const answers = [
        axis,
        gateway,
        manual,
        await call(admin, 'GET', `/api/speakers/${axis.body.id}`),
        await call(admin, 'GET', `/api/speakers/${gateway.body.id}`),
        await call(admin, 'GET', `/api/speakers?villageId=${village.id}`),
        await call(loa.people.editor, 'GET', `/api/speakers/${axis.body.id}`),
        await call(admin, 'PATCH', `/api/speakers/${axis.body.id}`, { tags: ['ven biển', 'chợ'] }),
        await call(admin, 'PATCH', `/api/speakers/${gateway.body.id}`, { secrets: { key: `${GATEWAY_KEY}-rotated` } }),
      ];
      for (const answer of answers) {
        expect(answer.status).toBeLessThan(300);
        expectNoSecret(answer, secrets);
      }
      const listed = (answers[5].body as unknown as { items: Record<string, unknown>[] }).items;
      expect(listed.map((speaker) => [speaker.name, speaker.secretsSet])).toEqual(
        expect.arrayContaining([
          ['Cụm loa chợ Việt An', true],
          ['Cụm loa qua cổng nhà văn hóa', true],
          ['Cụm loa FM thôn Phú Mỹ', false],
        ]),
      );
      expect(answers[7].body).toMatchObject({ tags: ['ven biển', 'chợ'], secretsSet: true });
      expect(answers[8].body).toMatchObject({ secretsSet: true });

      // The coastal tag finds the Axis speaker and not the others.
      const coastal = await listAll(admin, `/api/speakers?villageId=${village.id}&tag=${encodeURIComponent('ven biển')}`);
      expect(coastal.map((speaker) => speaker.id)).toContain(axis.body.id);
      expect(coastal.map((speaker) => speaker.id)).not.toContain(gateway.body.id);
    });

    it('stores secrets sealed with AES-256-GCM: not in clear, opened only with the key, different each time', async () => {
      const first = await registered(axisBody());
      const second = await registered(axisBody());
      const [one, two] = [await storedRow(first), await storedRow(second)];

      for (const row of [one, two]) {
        expect(row.secrets_sealed).toMatch(/^v1\./);
        expect(row.secrets_sealed).not.toContain(AXIS_PASSWORD);
        expect(row.secrets_sealed).not.toContain(Buffer.from(AXIS_PASSWORD).toString('base64url'));
        expect(row.settings).not.toContain(AXIS_PASSWORD);
        expect(loa.app.get(SecretBox).open(row.secrets_sealed!)).toEqual({ username: 'root', password: AXIS_PASSWORD });
      }
      // A random IV per seal: equal passwords do not show as equal stored values.
      expect(one.secrets_sealed).not.toBe(two.secrets_sealed);

      // Replacing the secrets reseals them; a manual speaker stores none.
      const replaced = 'Mật-khẩu-mới-của-loa-2026';
      sentSecrets.add(replaced);
      const patched = await call(loa.people.admin, 'PATCH', `/api/speakers/${first}`, { secrets: { username: 'operator', password: replaced } });
      expect(patched.status).toBe(200);
      expectNoSecret(patched, [replaced, AXIS_PASSWORD]);
      const resealed = (await storedRow(first)).secrets_sealed!;
      expect(resealed).not.toContain(replaced);
      expect(loa.app.get(SecretBox).open(resealed)).toEqual({ username: 'operator', password: replaced });
      expect((await storedRow(await registered(manualBody()))).secrets_sealed).toBeNull();
    });
  });

  describe('validation', () => {
    const axisUrl = { url: 'http://10.0.0.5' };
    const cases: [string, () => Record<string, unknown>, number, RegExp][] = [
      [
        'an unknown driver',
        () => axisBody({ driver: 'sonos', secrets: { username: 'root', password: SECRET } }),
        400,
        /driver must be one of axis-vapix, http-gateway, manual/,
      ],
      [
        'an Axis speaker without url',
        () => axisBody({ settings: {}, secrets: { username: 'root', password: SECRET } }),
        400,
        /settings\.url must be an http or https base URL/,
      ],
      [
        'a url without protocol',
        () => axisBody({ settings: { url: '10.0.0.5' }, secrets: { username: 'root', password: SECRET } }),
        400,
        /settings\.url must be an http or https base URL/,
      ],
      [
        'a url carrying the password',
        () => axisBody({ settings: { url: `http://root:${SECRET}@10.0.0.5` } }),
        400,
        /settings\.url must be an http or https base URL without credentials/,
      ],
      ['a misspelt password field', () => axisBody({ settings: axisUrl, secrets: { username: 'root', passwd: SECRET } }), 400, /secrets\.password must be/],
      [
        'a gateway key too short to be safe',
        () => axisBody({ driver: 'http-gateway', settings: axisUrl, secrets: { key: SECRET } }),
        400,
        /secrets\.key must be 32 to 512 characters/,
      ],
      ['secrets for a manual speaker', () => ({ ...manualBody(), secrets: { password: SECRET } }), 400, /secrets must be empty: the manual driver takes no secrets/],
      ['an unknown setting field', () => axisBody({ settings: { url: 'http://10.0.0.5', password: SECRET } }), 400, /settings\.password is not a known field/],
      [
        'a latitude off the globe',
        () => axisBody({ location: { lat: 95, lng: 108.2 }, secrets: { username: 'root', password: SECRET } }),
        400,
        /location\.lat must be a latitude between -90 and 90/,
      ],
      [
        'a longitude off the globe',
        () => axisBody({ location: { lat: 15.9, lng: 200 }, secrets: { username: 'root', password: SECRET } }),
        400,
        /location\.lng must be a longitude between -180 and 180/,
      ],
      [
        'a village id that is not an id',
        () => axisBody({ villageId: 'thon-phu-my', secrets: { username: 'root', password: SECRET } }),
        400,
        /villageId must be the id of a village/,
      ],
      ['an unknown village', () => axisBody({ villageId: randomUUID(), secrets: { username: 'root', password: SECRET } }), 404, /No village has id/],
      ['a secret sent at the top level', () => axisBody({ password: SECRET }), 400, /property password should not exist/],
    ];

    it.each(cases)('refuses %s with a message naming the field and never the secret', async (_label, body, status, message) => {
      const request = body();
      const answer = await call(loa.people.admin, 'POST', '/api/speakers', request);
      expect(answer.status).toBe(status);
      expect(answer.body).toMatchObject({ statusCode: status, error: expect.any(String) });
      expect(answer.body.message).toMatch(message);
      expect(answer.body.message).not.toMatch(/location\.location|settings\.settings|secrets\.secrets/);
      expect(JSON.stringify(answer.body)).not.toContain(SECRET);
      const [{ count }] = await loa.dataSource.query('SELECT count(*)::int AS count FROM speakers WHERE name = $1', [request.name]);
      expect(count).toBe(0);
    });

    it('refuses a second speaker of the same name in a village with 409, and allows it in another village', async () => {
      const name = `Cụm loa trùng tên ${unique()}`;
      await registered(axisBody({ name }));
      const duplicate = await call(loa.people.admin, 'POST', '/api/speakers', axisBody({ name: ` ${name} `, secrets: { username: 'root', password: SECRET } }));
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.message).toContain(`already has a speaker named "${name}"`);
      expect(JSON.stringify(duplicate.body)).not.toContain(SECRET);
      expect((await call(loa.people.admin, 'POST', '/api/speakers', axisBody({ name, villageId: loa.places.neighbourVillage.id }))).status).toBe(201);
    });

    it('validates a change against the speaker driver, naming the field and never the secret', async () => {
      const id = await registered(axisBody());
      const badSecrets = await call(loa.people.admin, 'PATCH', `/api/speakers/${id}`, { secrets: { username: 'root', pass: SECRET } });
      expect(badSecrets.status).toBe(400);
      expect(badSecrets.body.message).toMatch(/secrets\.pass is not a known field/);
      expect(JSON.stringify(badSecrets.body)).not.toContain(SECRET);
      const badUrl = await call(loa.people.admin, 'PATCH', `/api/speakers/${id}`, { settings: { url: 'ftp://10.0.0.5' } });
      expect(badUrl.status).toBe(400);
      expect(badUrl.body.message).toMatch(/settings\.url/);
      // Nothing was changed by the refused requests.
      expect(loa.app.get(SecretBox).open((await storedRow(id)).secrets_sealed!)).toEqual({ username: 'root', password: AXIS_PASSWORD });
      expect((await call(loa.people.admin, 'GET', `/api/speakers/${id}`)).body.settings).toEqual({ url: 'http://10.0.0.5' });
    });
  });

  describe('scope', () => {
    let own: string;
    let neighbour: string;
    let faraway: string;

    beforeAll(async () => {
      own = await registered(manualBody(loa.places.village.id, `Loa thôn Phú Mỹ ${unique()}`));
      neighbour = await registered(manualBody(loa.places.neighbourVillage.id, `Loa thôn Tân Phong ${unique()}`));
      faraway = await registered(manualBody(loa.places.otherVillage.id, `Loa thôn Hà Lam ${unique()}`));
    });

    async function listedIds(session: Session): Promise<string[]> {
      return (await listAll(session, '/api/speakers')).map((speaker) => speaker.id as string);
    }

    it("shows an operator only its village's speakers, and answers 404 for the neighbour village's", async () => {
      const operator = loa.people.operator;
      const listed = await listAll(operator, '/api/speakers');
      expect(listed.map((speaker) => speaker.id)).toContain(own);
      expect(new Set(listed.map((speaker) => speaker.villageId))).toEqual(new Set([loa.places.village.id]));
      expect((await call(operator, 'GET', `/api/speakers/${own}`)).status).toBe(200);
      const hidden = await call(operator, 'GET', `/api/speakers/${neighbour}`);
      expect(hidden.status).toBe(404);
      expect(hidden.body.message).toBe(`No speaker has id ${neighbour}`);
      expect((await call(operator, 'GET', `/api/speakers/${neighbour}/health`)).status).toBe(404);
      // Asking for the neighbour village by filter does not widen the scope.
      expect(await listAll(operator, `/api/speakers?villageId=${loa.places.neighbourVillage.id}`)).toEqual([]);
    });

    it('shows commune staff their commune only; the other commune gets the same 404 as for a missing speaker', async () => {
      const editorSees = await listedIds(loa.people.editor);
      expect(editorSees).toEqual(expect.arrayContaining([own, neighbour]));
      expect(editorSees).not.toContain(faraway);
      const otherSees = await listedIds(loa.people.otherEditor);
      expect(otherSees).toContain(faraway);
      expect(otherSees).not.toContain(own);

      const outOfScope = await call(loa.people.otherEditor, 'GET', `/api/speakers/${own}`);
      const missing = await call(loa.people.otherEditor, 'GET', `/api/speakers/${randomUUID()}`);
      expect([outOfScope.status, missing.status]).toEqual([404, 404]);
      expect(outOfScope.body.message).toBe(`No speaker has id ${own}`);
      expect((await call(loa.people.otherEditor, 'POST', `/api/speakers/${own}/check`)).status).toBe(404);
    });

    it('lets editors run a check but not viewers, and lets only admins change a speaker', async () => {
      expect((await call(loa.people.editor, 'POST', `/api/speakers/${own}/check`)).status).toBe(200);
      expect((await call(loa.people.viewer, 'POST', `/api/speakers/${own}/check`)).status).toBe(403);
      for (const person of ['editor', 'approver', 'operator', 'viewer'] as const) {
        const answer = await call(loa.people[person], 'PATCH', `/api/speakers/${own}`, { enabled: false });
        expect([person, answer.status]).toEqual([person, 403]);
        expect((await call(loa.people[person], 'POST', '/api/speakers', manualBody())).status).toBe(403);
      }
      expect((await call(loa.people.admin, 'GET', `/api/speakers/${own}`)).body.enabled).toBe(true);
    });
  });

  describe('health checks against modelled speakers', () => {
    async function speakerView(id: string): Promise<Record<string, unknown>> {
      return (await call(loa.people.admin, 'GET', `/api/speakers/${id}`)).body;
    }

    it('calls a healthy Axis speaker online and records when it was last seen', async () => {
      const device = await axisSpeaker(AXIS_PASSWORD);
      const id = await registered(axisBody({ settings: { url: device.url } }));
      const before = Date.now();
      const check = await call(loa.people.editor, 'POST', `/api/speakers/${id}/check`);
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ speakerId: id, ok: true, status: 'online', errorKind: null });
      expectNoSecret(check, [AXIS_PASSWORD]);

      const speaker = await speakerView(id);
      expect(speaker).toMatchObject({ status: 'online' });
      expect(new Date(speaker.lastSeenAt as string).getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(speaker.lastCheckedAt).toBe(speaker.lastSeenAt);
      // The device was asked for its audio properties with Digest credentials.
      expect(device.requests.filter((request) => request.target.startsWith('/axis-cgi/param.cgi')).map((request) => [request.authorized, request.status])).toEqual([
        [false, 401],
        [true, 200],
      ]);
    });

    it('calls a refused password an auth error, never repeating it, and does not mark the speaker seen', async () => {
      const devicePassword = 'Mật-khẩu-trên-thiết-bị-555';
      sentSecrets.add(devicePassword);
      const device = await axisSpeaker(devicePassword);
      const id = await registered(axisBody({ settings: { url: device.url } }));
      const check = await call(loa.people.admin, 'POST', `/api/speakers/${id}/check`);
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ ok: false, errorKind: 'auth', status: 'degraded' });
      expect(check.body.detail).toMatch(/password/);
      expectNoSecret(check, [AXIS_PASSWORD, devicePassword]);
      expect(await speakerView(id)).toMatchObject({ status: 'degraded', lastSeenAt: null });
      // One challenge round, not a retry loop.
      expect(device.requests).toHaveLength(2);
    });

    it('checks a gateway with its signed health request', async () => {
      const device = await gatewayModel(GATEWAY_KEY, `${loa.url}/api/gateway/events`);
      const id = await registered({
        villageId: loa.places.village.id,
        name: `Cổng loa ${unique()}`,
        driver: 'http-gateway',
        settings: { url: device.url },
        secrets: { key: GATEWAY_KEY },
      });
      const check = await call(loa.people.admin, 'POST', `/api/speakers/${id}/check`);
      expect(check.body).toMatchObject({ ok: true, status: 'online', errorKind: null, detail: 'gateway ready' });
      expect(device.requests).toEqual([{ method: 'GET', path: '/health', authorized: true, status: 200 }]);
      expectNoSecret(check, [GATEWAY_KEY]);
    });

    it('answers a manual speaker ok without any network', async () => {
      const id = await registered(manualBody());
      const check = await call(loa.people.editor, 'POST', `/api/speakers/${id}/check`);
      expect(check.body).toMatchObject({ ok: true, status: 'online', errorKind: null });
      // Details are for admins (docs: speaker addresses); an editor sees the outcome.
      expect(check.body.detail).toBeNull();
      expect((await call(loa.people.admin, 'POST', `/api/speakers/${id}/check`)).body.detail).toMatch(/village operator/);
    });

    it("keeps a speaker's health history newest first, with its current status", async () => {
      const device = await axisSpeaker(AXIS_PASSWORD);
      const id = await registered(axisBody({ settings: { url: device.url } }));
      const first = await call(loa.people.admin, 'POST', `/api/speakers/${id}/check`);
      expect(first.body.ok).toBe(true);
      // The device's password is changed on the speaker but not in Loa: the next check fails.
      const stale = 'Mật-khẩu-cũ-đã-đổi-999';
      sentSecrets.add(stale);
      expect((await call(loa.people.admin, 'PATCH', `/api/speakers/${id}`, { secrets: { username: 'root', password: stale } })).status).toBe(200);
      const second = await call(loa.people.admin, 'POST', `/api/speakers/${id}/check`);
      expect(second.body).toMatchObject({ ok: false, errorKind: 'auth' });

      const health = await call<Record<string, unknown> & { history: Record<string, unknown>[] }>(loa.people.operator, 'GET', `/api/speakers/${id}/health`);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ speakerId: id, status: 'degraded', consecutiveFailures: 1 });
      // lastSeenAt/lastCheckedAt come from the service's clock, a check's `at` from the database's.
      const millis = (value: unknown) => new Date(value as string).getTime();
      expect(Math.abs(millis(health.body.lastSeenAt) - millis(first.body.at))).toBeLessThan(1_000);
      expect(Math.abs(millis(health.body.lastCheckedAt) - millis(second.body.at))).toBeLessThan(1_000);
      expect(millis(health.body.lastCheckedAt)).toBeGreaterThan(millis(health.body.lastSeenAt));
      expect(health.body.history.map((entry) => [entry.id, entry.ok, entry.errorKind, entry.status])).toEqual([
        [second.body.id, false, 'auth', 'degraded'],
        [first.body.id, true, null, 'online'],
      ]);
      expect(new Date(health.body.history[0].at as string).getTime()).toBeGreaterThanOrEqual(new Date(health.body.history[1].at as string).getTime());
      expectNoSecret(health, [AXIS_PASSWORD, stale]);
    });
  });

  describe('secrets in logs', () => {
    it('never writes a device password or a gateway key to the log, even at trace level', async () => {
      const password = `Axis-log-${randomUUID()}`;
      const key = `gateway-log-key-${randomUUID()}`;
      const wrong = `Sai-${randomUUID()}`;
      const invalid = `Lạc-chỗ-${randomUUID()}`;
      [password, key, wrong, invalid].forEach((secret) => sentSecrets.add(secret));
      const port = await freePort();
      const service = WorkerProcess.start({
        ROLE: 'api',
        PORT: String(port),
        LOG_LEVEL: 'trace',
        DATABASE_URL: loa.config.database.url,
        QUEUE_PREFIX: loa.config.redis.queuePrefix,
        AUDIO_DIR: loa.audioDir,
        JWT_SECRET: 'test-secret-for-loa-integration-tests-only',
        SPEAKER_TIME_SCALE: String(TIME_SCALE),
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
        const axisDevice = await axisSpeaker(password);
        const gatewayDevice = await gatewayModel(key, `${url}/api/gateway/events`);

        const axis = await call(admin, 'POST', '/api/speakers', axisBody({ settings: { url: axisDevice.url }, secrets: { username: 'root', password } }));
        const gateway = await call(admin, 'POST', '/api/speakers', {
          villageId: loa.places.village.id,
          name: `Cổng loa ${unique()}`,
          driver: 'http-gateway',
          settings: { url: gatewayDevice.url },
          secrets: { key },
        });
        expect([axis.status, gateway.status]).toEqual([201, 201]);
        expect((await call(admin, 'POST', `/api/speakers/${axis.body.id}/check`)).body).toMatchObject({ ok: true });
        expect((await call(admin, 'POST', `/api/speakers/${gateway.body.id}/check`)).body).toMatchObject({ ok: true });
        // A refused password, a changed status, and a request with a secret where it does not belong.
        await call(admin, 'PATCH', `/api/speakers/${axis.body.id}`, { secrets: { username: 'root', password: wrong } });
        expect((await call(admin, 'POST', `/api/speakers/${axis.body.id}/check`)).body).toMatchObject({ ok: false, errorKind: 'auth' });
        expect((await call(admin, 'POST', '/api/speakers', axisBody({ settings: { url: axisDevice.url, password: invalid } }))).status).toBe(400);

        await service.stop('SIGTERM');
        const log = service.log;
        expect(log).toContain('"msg":"request completed"');
        expect(log).toContain('/api/speakers');
        expect(log).toContain('Speaker status changed');
        for (const secret of [password, key, wrong, invalid]) expect(log).not.toContain(secret);
      } finally {
        await service.stop('SIGKILL');
      }
    });

    it('keeps no secret in the audit trail, of accepted or refused requests', async () => {
      const id = await registered(axisBody());
      const rotated = `Xoay-vòng-${randomUUID()}`;
      sentSecrets.add(rotated);
      expect((await call(loa.people.admin, 'PATCH', `/api/speakers/${id}`, { secrets: { username: 'root', password: rotated } })).status).toBe(200);
      expect((await call(loa.people.admin, 'PATCH', `/api/speakers/${id}`, { secrets: { username: 'root', pass: SECRET } })).status).toBe(400);
      expect((await call(loa.people.editor, 'PATCH', `/api/speakers/${id}`, { secrets: { username: 'root', password: SECRET } })).status).toBe(403);
      const rows: { entry: string }[] = await loa.dataSource.query('SELECT row_to_json(a)::text AS entry FROM audit_log a');
      const trail = rows.map((row) => row.entry).join('\n');
      expect(trail).toContain(id);
      expect(trail).toContain('secrets.pass is not a known field');
      for (const secret of sentSecrets) expect(trail).not.toContain(secret);
    });
  });

  describe('end to end', () => {
    it('plays a real bulletin on an Axis-style speaker, which receives all of it as real audio', async () => {
      const editor = loa.people.editor;
      const file = await makeAudio(fixtures, 'chuyen-doi-so.mp3', { source: speechLike(8, 5757), output: ['-c:a', 'libmp3lame', '-b:a', '128k'] });
      const uploaded = await uploadBulletin(editor, file, { title: 'Ngày Chuyển đổi số quốc gia 10/10', topic: await firstTopicId(editor) });
      expect(uploaded.status).toBe(201);
      expect((await waitUntilProcessed(editor, uploaded.body.id as string)).status).toBe(BulletinStatus.Ready);
      const bulletin = await loa.dataSource.getRepository(Bulletin).findOneByOrFail({ id: uploaded.body.id as string });
      const renditionSha256 = bulletin.renditionSha256!;
      const durationMs = bulletin.durationMs!;
      expect(durationMs).toBeGreaterThan(7_000);

      const mulaw = await driverAudioCacheOf(loa.app).pathFor(renditionSha256, 'mulaw');
      const device = await axisSpeaker(AXIS_PASSWORD);
      const id = await registered(axisBody({ settings: { url: device.url } }));
      const speaker = await loa.dataSource.getRepository(Speaker).findOneByOrFail({ id });
      const { driver, target } = loa.app.get(SpeakerTargets).resolve(speaker);
      expect([driver.name, driver.audioFormat]).toEqual(['axis-vapix', 'mulaw']);

      const [{ evidence }] = await driver.play(target, {
        playbackId: randomUUID(),
        priority: 'normal',
        program: [{ bulletinId: bulletin.id, audio: { path: mulaw, sha256: renditionSha256, durationMs } }],
        signal: new AbortController().signal,
      });

      expect(evidence.level).toBe('device_reported');
      const bytes = (await stat(mulaw)).size;
      expect(evidence.device).toMatchObject({ status: 200, audioBytes: bytes });
      expect(device.played).toHaveLength(1);
      const [played] = device.played;
      expect(played.bytes).toBe(bytes);
      // The device's own µ-law accounting finds the bulletin's whole duration, and it is sound, not silence.
      expect(Math.abs(mulawMs(played.bytes) - durationMs)).toBeLessThan(100);
      expect(played.peakDbfs).toBeGreaterThan(-30);
    });
  });
});
