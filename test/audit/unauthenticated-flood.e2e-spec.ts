import { randomInt } from 'node:crypto';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';

type Body = Record<string, any>;

describe('A flood of unauthenticated requests costs one audit row per address per window, with its count', () => {
  let loa: TestApp;
  const WINDOW_SECONDS = 4;

  beforeAll(async () => {
    // Through loopback as from a reverse proxy naming the client, so that one test plays several addresses.
    loa = await startTestApp({ TRUST_PROXY: 'loopback', AUDIT_UNAUTHENTICATED_WINDOW_SECONDS: String(WINDOW_SECONDS) });
  });

  afterAll(async () => {
    await loa?.close();
  });

  /** An address no other test file uses. */
  const someAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

  async function rowsOf(address: string): Promise<Body[]> {
    const answer = await call<{ items: Body[] }>(loa.people.admin, 'GET', '/api/audit?action=auth.unauthenticated&pageSize=500');
    expect(answer.status).toBe(200);
    return answer.body.items.filter((row) => row.ip === address);
  }

  async function rowsOnceWritten(address: string, count: number): Promise<Body[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const rows = await rowsOf(address);
      if (rows.reduce((sum, row) => sum + (row.details.count as number), 0) >= count) return rows;
      if (Date.now() > deadline) throw new Error(`the audit log has ${JSON.stringify(rows)} for ${address}, not ${count} refusals`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('tallies refusals without a valid token per address, and writes each tally once its window closes', async () => {
    const [noisy, quiet] = [someAddress(), someAddress()];
    const refusals = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) =>
        call(loa.url, 'POST', '/api/villages', { name: `Thôn ${i}` }, { 'X-Forwarded-For': noisy, 'User-Agent': 'flood/1.0' }),
      ),
      ...Array.from({ length: 5 }, () =>
        call(loa.url, 'PATCH', `/api/topics/${loa.places.commune.id}`, {}, { 'X-Forwarded-For': quiet, Authorization: 'Bearer forged' }),
      ),
    ]);
    expect(new Set(refusals.map((answer) => answer.status))).toEqual(new Set([401]));

    const [noisyRows, quietRows] = [await rowsOnceWritten(noisy, 40), await rowsOnceWritten(quiet, 5)];
    expect(noisyRows).toHaveLength(1);
    expect(noisyRows[0]).toMatchObject({
      action: 'auth.unauthenticated',
      outcome: 'denied',
      statusCode: 401,
      actorId: null,
      userAgent: 'flood/1.0',
      details: { count: 40, firstAction: 'POST /api/villages' },
    });
    expect(Date.parse(noisyRows[0].details.lastAt as string)).toBeGreaterThanOrEqual(Date.parse(noisyRows[0].details.firstAt as string));
    expect(quietRows).toHaveLength(1);
    expect(quietRows[0].details).toMatchObject({ count: 5, firstAction: 'PATCH /api/topics/:id' });
    // No row of its own for any single refused request.
    const single = await call<{ items: Body[] }>(loa.people.admin, 'GET', '/api/audit?action=/api/villages&outcome=denied&pageSize=500');
    expect(single.body.items.filter((row) => row.ip === noisy)).toEqual([]);
  });

  it('opens a new window for the same address once the last one was written', async () => {
    const address = someAddress();
    await call(loa.url, 'POST', '/api/users', {}, { 'X-Forwarded-For': address });
    await rowsOnceWritten(address, 1);
    await call(loa.url, 'POST', '/api/schedules', {}, { 'X-Forwarded-For': address });
    await call(loa.url, 'POST', '/api/schedules', {}, { 'X-Forwarded-For': address });
    const rows = await rowsOnceWritten(address, 3);
    expect(rows.map((row) => row.details.count as number).sort()).toEqual([1, 2]);
  });

  it('still records a signed-in caller refused for their role, one row each', async () => {
    const answer = await call(loa.people.viewer, 'POST', '/api/villages', { communeId: loa.places.commune.id, name: 'Thôn Không Được' });
    expect(answer.status).toBe(403);
    const { body } = await call<{ items: Body[] }>(loa.people.admin, 'GET', `/api/audit?actor=${loa.people.viewer.user.username}&outcome=denied`);
    expect(body.items[0]).toMatchObject({ action: 'POST /api/villages', statusCode: 403, actorId: loa.people.viewer.user.id });
  });
});
