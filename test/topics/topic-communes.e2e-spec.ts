import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '../../src/auth/role';
import { call, listAll } from '../support/api';
import { uploadBulletin } from '../support/bulletin-client';
import { createSession } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

type Body = Record<string, any>;

describe("Topics belong to a commune: an editor changes only their communes' topics", () => {
  let loa: TestApp;
  let fixtures: string;
  const unique = () => randomUUID().slice(0, 8);

  beforeAll(async () => {
    loa = await startTestApp();
    fixtures = await mkdtemp(join(tmpdir(), 'loa-topics-'));
  });

  afterAll(async () => {
    await loa?.close();
    if (fixtures) await rm(fixtures, { recursive: true, force: true });
  });

  async function topicOf(as: keyof TestApp['people'], body: Body): Promise<Body> {
    const created = await call<Body>(loa.people[as], 'POST', '/api/topics', body);
    expect(created.status).toBe(201);
    return created.body;
  }

  it("puts an editor's new topic in their commune, shown to that commune and to no other", async () => {
    const topic = await topicOf('editor', { name: `An toàn giao thông ${unique()}` });
    expect(topic).toMatchObject({ communeId: loa.places.commune.id, commune: { id: loa.places.commune.id, name: loa.places.commune.name } });

    const seenBy = async (person: keyof TestApp['people']) => (await listAll<Body>(loa.people[person], '/api/topics')).map((item) => item.id);
    for (const person of ['editor', 'approver', 'viewer', 'operator', 'admin'] as const) expect(await seenBy(person)).toContain(topic.id);
    for (const person of ['otherEditor', 'otherApprover'] as const) expect(await seenBy(person)).not.toContain(topic.id);
    // The shared themes of the plan are everyone's.
    const shared = (await listAll<Body>(loa.people.otherEditor, '/api/topics')).filter((item) => item.communeId === null);
    expect(shared.map((item) => item.name)).toContain('Khác');
    expect(shared.every((item) => item.commune === null)).toBe(true);
  });

  it("refuses another commune's editor: changing the topic, naming the commune, or tagging a bulletin with it", async () => {
    const name = `Nước sạch ${unique()}`;
    const topic = await topicOf('editor', { name });

    const renamed = await call<Body>(loa.people.otherEditor, 'PATCH', `/api/topics/${topic.id}`, { name: 'Đổi tên', active: false });
    expect(renamed.status).toBe(404);
    const stillThere = (await listAll<Body>(loa.people.editor, '/api/topics')).find((item) => item.id === topic.id);
    expect(stillThere).toMatchObject({ name, active: true });

    const elsewhere = await call<Body>(loa.people.otherEditor, 'POST', '/api/topics', { name: `Chen ngang ${unique()}`, communeId: loa.places.commune.id });
    expect(elsewhere.status).toBe(404);

    const file = join(fixtures, 'tin.mp3');
    await writeFile(file, Buffer.alloc(2048, 1));
    const tagged = await uploadBulletin(loa.people.otherEditor, file, { title: 'Không được', topic: topic.id });
    expect(tagged.status).toBe(400);
    expect(tagged.body.message).toContain('not an active topic of this commune');
  });

  it('leaves the shared topics to admins: an editor may neither change one nor add one', async () => {
    const shared = await topicOf('admin', { name: `Chủ đề chung ${unique()}` });
    expect(shared).toMatchObject({ communeId: null, commune: null });

    const change = await call<Body>(loa.people.editor, 'PATCH', `/api/topics/${shared.id}`, { active: false });
    expect(change.status).toBe(403);
    expect(change.body.message).toMatch(/Only administrators/);
    expect((await listAll<Body>(loa.people.editor, '/api/topics')).find((item) => item.id === shared.id)).toMatchObject({ active: true });

    const add = await call<Body>(loa.people.editor, 'POST', '/api/topics', { name: `Chung ${unique()}`, communeId: null });
    expect(add.status).toBe(403);

    const byAdmin = await call<Body>(loa.people.admin, 'PATCH', `/api/topics/${shared.id}`, { description: 'Cho mọi xã' });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body).toMatchObject({ description: 'Cho mọi xã', communeId: null });
  });

  it('keeps names unique within a commune, so two communes may each have the same one', async () => {
    const name = `Vệ sinh môi trường ${unique()}`;
    await topicOf('editor', { name });
    expect((await call(loa.people.editor, 'POST', '/api/topics', { name })).status).toBe(409);
    expect((await call(loa.people.otherEditor, 'POST', '/api/topics', { name })).status).toBe(201);
  });

  it('asks an admin for a real commune and an editor of several communes which one', async () => {
    const unknown = await call<Body>(loa.people.admin, 'POST', '/api/topics', { name: `X ${unique()}`, communeId: randomUUID() });
    expect(unknown.status).toBe(404);
    const invalid = await call<Body>(loa.people.admin, 'POST', '/api/topics', { name: `X ${unique()}`, communeId: 'xã-của-tôi' });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body.message)).toMatch(/communeId must be the id of a commune/);
    const moved = await call<Body>(loa.people.admin, 'PATCH', `/api/topics/${(await topicOf('editor', { name: `Y ${unique()}` })).id}`, {
      communeId: loa.places.otherCommune.id,
    });
    expect(moved.status).toBe(400);
    const both = await createSession(loa.app, loa.url, Role.Editor, { communeIds: [loa.places.commune.id, loa.places.otherCommune.id] });
    const unsaid = await call<Body>(both, 'POST', '/api/topics', { name: `Z ${unique()}` });
    expect(unsaid.status).toBe(400);
    expect(unsaid.body.message).toMatch(/communeId is required/);
    expect((await call<Body>(both, 'POST', '/api/topics', { name: `Z ${unique()}`, communeId: loa.places.otherCommune.id })).body.communeId).toBe(
      loa.places.otherCommune.id,
    );
  });
});
