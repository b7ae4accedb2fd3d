import { randomUUID } from 'node:crypto';
import { HttpGateway } from '../devices/http-gateway';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';

const GATEWAY_KEY = 'gateway-key-Việt-An-0123456789abcdef-ZYX';
const UNREACHABLE = /^127\.0\.0\.1:\d+ could not be reached: check that the device is powered, on the network and at this address$/;

describe('Speaker addresses: never this machine, cloud metadata or multicast; device text for admins only', () => {
  /** SPEAKER_ALLOW_LOOPBACK off, as in production. */
  let strict: TestApp;
  /** SPEAKER_ALLOW_LOOPBACK on, as the tests' and the demo's devices on this machine need. */
  let lab: TestApp;
  const gateways: HttpGateway[] = [];

  beforeAll(async () => {
    [strict, lab] = await Promise.all([startTestApp({ SPEAKER_ALLOW_LOOPBACK: 'false' }), startTestApp({ SPEAKER_ALLOW_LOOPBACK: 'true' })]);
  });

  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  });

  afterAll(async () => {
    await Promise.all([strict?.close(), lab?.close()]);
  });

  function axisAt(loa: TestApp, url: string): Record<string, unknown> {
    return {
      villageId: loa.places.village.id,
      name: `Cụm loa ${randomUUID().slice(0, 8)}`,
      driver: 'axis-vapix',
      settings: { url },
      secrets: { username: 'root', password: 'Loa-Axis-7391' },
    };
  }

  async function gatewayModel(loa: TestApp, answer: 'at-once' | 'garbage'): Promise<HttpGateway> {
    const gateway = await HttpGateway.start({ key: GATEWAY_KEY, eventsUrl: `${loa.url}/api/gateway/events`, answer: { kind: answer } });
    gateways.push(gateway);
    return gateway;
  }

  const LOOPBACK = ['http://127.0.0.1', 'http://localhost:8080', 'http://0x7f000001', 'http://[::1]', 'http://[::ffff:127.0.0.1]', 'http://127.0.0.1:9/loa'];
  const NEVER = ['http://169.254.169.254', 'http://[fe80::1]', 'http://224.0.0.1', 'http://0.0.0.0', 'http://[::]'];

  it('refuses a speaker on the loopback, link-local (metadata), multicast or unspecified addresses with a 400 naming the problem, and stores nothing', async () => {
    for (const url of [...LOOPBACK, ...NEVER]) {
      const body = axisAt(strict, url);
      const answer = await call(strict.people.admin, 'POST', '/api/speakers', body);
      expect({ url, status: answer.status }).toEqual({ url, status: 400 });
      expect(answer.body.message).toMatch(
        /^settings\.url points at (a loopback|a link-local|a multicast|an unspecified) address.*, where no speaker can be: give the device's address/,
      );
      if (LOOPBACK.includes(url)) expect(answer.body.message).toMatch(/SPEAKER_ALLOW_LOOPBACK=true/);
      const [{ count }] = await strict.dataSource.query('SELECT count(*)::int AS count FROM speakers WHERE name = $1', [body.name]);
      expect(count).toBe(0);
    }
  });

  it('refuses such an address on a change too, keeping the one stored', async () => {
    const created = await call(strict.people.admin, 'POST', '/api/speakers', axisAt(strict, 'http://10.0.0.5'));
    expect(created.status).toBe(201);
    const changed = await call(strict.people.admin, 'PATCH', `/api/speakers/${created.body.id as string}`, { settings: { url: 'http://169.254.169.254/latest' } });
    expect(changed.status).toBe(400);
    expect(changed.body.message).toMatch(/^settings\.url points at a link-local address/);
    expect((await call(strict.people.admin, 'GET', `/api/speakers/${created.body.id as string}`)).body.settings).toEqual({ url: 'http://10.0.0.5' });
  });

  it('accepts the private ranges of field networks', async () => {
    for (const url of ['http://10.0.0.5', 'http://172.16.4.2:8080', 'http://192.168.1.20', 'https://gateway.example.vn/loa']) {
      expect({ url, status: (await call(strict.people.admin, 'POST', '/api/speakers', axisAt(strict, url))).status }).toEqual({ url, status: 201 });
    }
  });

  it('accepts the loopback with SPEAKER_ALLOW_LOOPBACK=true, and still never link-local, multicast or unspecified addresses', async () => {
    for (const url of LOOPBACK) {
      expect({ url, status: (await call(lab.people.admin, 'POST', '/api/speakers', axisAt(lab, url))).status }).toEqual({ url, status: 201 });
    }
    for (const url of NEVER) {
      expect({ url, status: (await call(lab.people.admin, 'POST', '/api/speakers', axisAt(lab, url))).status }).toEqual({ url, status: 400 });
    }
  });

  it('does not connect to a stored loopback address when the setting is off, and says so as of any unreachable device', async () => {
    // Stored before the rule, or a name that now resolves to this machine: the connection itself refuses it.
    const gateway = await gatewayModel(strict, 'at-once');
    const saved = await call(strict.people.admin, 'POST', '/api/speakers', {
      villageId: strict.places.village.id,
      name: `Cổng loa ${randomUUID().slice(0, 8)}`,
      driver: 'http-gateway',
      settings: { url: 'http://10.0.0.9' },
      secrets: { key: GATEWAY_KEY },
    });
    const id = saved.body.id as string;
    await strict.dataSource.query(`UPDATE speakers SET settings = $2 WHERE id = $1`, [id, JSON.stringify({ url: gateway.url })]);
    const check = await call(strict.people.admin, 'POST', `/api/speakers/${id}/check`);
    expect(check.body).toMatchObject({ ok: false, errorKind: 'unreachable', detail: expect.stringMatching(UNREACHABLE) });
    expect(gateway.requests).toEqual([]);

    // Nobody listening at a loopback port reads exactly the same.
    const closed = await gatewayModel(lab, 'at-once');
    const registered = await call(lab.people.admin, 'POST', '/api/speakers', {
      villageId: lab.places.village.id,
      name: `Cổng loa ${randomUUID().slice(0, 8)}`,
      driver: 'http-gateway',
      settings: { url: closed.url },
      secrets: { key: GATEWAY_KEY },
    });
    await gateways.pop()!.close();
    const refused = await call(lab.people.admin, 'POST', `/api/speakers/${registered.body.id as string}/check`);
    expect(refused.body).toMatchObject({ ok: false, errorKind: 'unreachable', detail: expect.stringMatching(UNREACHABLE) });
    expect((refused.body.detail as string).replace(/:\d+ /, ' ')).toBe((check.body.detail as string).replace(/:\d+ /, ' '));
  });

  it("shows what a device answered to admins only: viewers, operators and editors see the status without the device's text", async () => {
    const portal = await gatewayModel(lab, 'garbage');
    const registered = await call(lab.people.admin, 'POST', '/api/speakers', {
      villageId: lab.places.village.id,
      name: `Cổng loa ${randomUUID().slice(0, 8)}`,
      driver: 'http-gateway',
      settings: { url: portal.url },
      secrets: { key: GATEWAY_KEY },
    });
    const id = registered.body.id as string;
    const byAdmin = await call(lab.people.admin, 'POST', `/api/speakers/${id}/check`);
    expect(byAdmin.body).toMatchObject({ ok: false, errorKind: 'protocol', detail: expect.stringMatching(/Please sign in to continue/) });
    expect((await call(lab.people.admin, 'GET', `/api/speakers/${id}`)).body.statusDetail).toMatch(/Please sign in to continue/);

    const byEditor = await call(lab.people.editor, 'POST', `/api/speakers/${id}/check`);
    expect(byEditor.body).toMatchObject({ ok: false, errorKind: 'protocol', detail: null });
    const seen = [
      byEditor,
      await call(lab.people.viewer, 'GET', `/api/speakers/${id}`),
      await call(lab.people.viewer, 'GET', `/api/speakers?villageId=${lab.places.village.id}`),
      await call(lab.people.operator, 'GET', `/api/speakers/${id}`),
      await call(lab.people.operator, 'GET', `/api/speakers/${id}/health`),
      await call(lab.people.approver, 'GET', `/api/speakers/${id}/health`),
    ];
    for (const answer of seen) {
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).not.toMatch(/sign in|Welcome|<html/i);
    }
    expect(seen[1].body).toMatchObject({ id, status: 'degraded', statusDetail: null });
    const health = seen[4].body as { statusDetail: unknown; history: Array<{ detail: unknown; errorKind: unknown }> };
    expect(health.statusDetail).toBeNull();
    expect(health.history.map((check) => [check.errorKind, check.detail])).toEqual([
      ['protocol', null],
      ['protocol', null],
    ]);
  });
});
