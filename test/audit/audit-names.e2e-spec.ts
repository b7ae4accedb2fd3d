import { randomUUID } from 'node:crypto';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';

type Body = Record<string, any>;

/** The audit log names people rather than ids, keeps what an account change did, and narrows to one person. */
describe('Audit log: names, what a change did, and a filter by person', () => {
  let loa: TestApp;

  beforeAll(async () => {
    loa = await startTestApp();
  });

  afterAll(async () => {
    await loa?.close();
  });

  it('tells locking from unlocking, and names the admin and the account', async () => {
    expect((await call(loa.people.admin, 'PATCH', `/api/users/${loa.people.admin.user.id}`, { displayName: 'Quản trị hệ thống' })).status).toBe(200);
    const username = `antay-${randomUUID().slice(0, 6)}`;
    const created = await call<Body>(loa.people.admin, 'POST', '/api/users', {
      username,
      displayName: 'An Tây',
      role: 'viewer',
      password: `Ban-dau-${randomUUID()}`,
      communeIds: [loa.places.commune.id],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    for (const disabled of [true, false]) expect((await call(loa.people.admin, 'PATCH', `/api/users/${id}`, { disabled })).status).toBe(200);
    expect((await call(loa.people.admin, 'POST', `/api/users/${id}/password`, { password: `Moi-${randomUUID()}` })).status).toBe(204);

    const log = await call<{ items: Body[]; total: number }>(loa.people.admin, 'GET', `/api/audit?personId=${id}`);
    expect(log.status).toBe(200);
    expect(log.body.items.map((entry) => [entry.action, entry.details])).toEqual([
      ['POST /api/users/:id/password', null],
      ['PATCH /api/users/:id', { disabled: false }],
      ['PATCH /api/users/:id', { disabled: true }],
      ['POST /api/users', { role: 'viewer' }],
    ]);
    for (const entry of log.body.items) expect(entry).toMatchObject({ actorName: 'Quản trị hệ thống', targetName: username, resourceId: id });
    // Nobody else's entries: the admin's own rename is about the admin.
    expect(log.body.total).toBe(4);
  });

  it('finds what a person did as well as what was done to them, and refuses an id that is not one', async () => {
    const mine = await call<{ items: Body[] }>(loa.people.admin, 'GET', `/api/audit?personId=${loa.people.admin.user.id}`);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((entry) => entry.actorId === loa.people.admin.user.id || entry.resourceId === loa.people.admin.user.id)).toBe(true);
    const bad = await call<Body>(loa.people.admin, 'GET', '/api/audit?personId=antay');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('personId must be the id of an account');
  });
});
