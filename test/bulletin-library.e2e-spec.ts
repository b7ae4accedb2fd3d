import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, listAll } from './support/api';
import { makeAudio, speechLike } from './support/audio-fixtures';
import { uploadBulletin, waitUntilProcessed } from './support/bulletin-client';
import { authHeader, Session } from './support/people';
import { filesUnder, originalPath, rowsHolding, sha256Of } from './support/store-footprint';
import { startTestApp, TestApp } from './support/test-app';

interface Topic {
  id: string;
  name: string;
  active: boolean;
}
interface Bulletin {
  id: string;
  title: string;
  status: string;
  statusReason: string | null;
  approvedAt: string | null;
  communeId: string;
  originalSha256: string;
  topic: Topic;
}
interface Page {
  items: Bulletin[];
  total: number;
  page: number;
  pageSize: number;
}

describe('The bulletin library and its approval states', () => {
  let loa: TestApp;
  let fixtures: string;
  let topics: Topic[];
  let seed = 100;
  /** The commune's culture office: uploads, edits topics, archives. */
  let editor: Session;
  /** The commune's approver: approves and rejects. */
  let approver: Session;

  const freshAudio = () => makeAudio(fixtures, `b${seed}.mp3`, { source: speechLike(2, seed++), output: ['-c:a', 'libmp3lame'] });

  async function readyBulletin(title: string, topicId = topics[0].id, file?: string, as = editor): Promise<Bulletin> {
    const created = await uploadBulletin(as, file ?? (await freshAudio()), { title, topic: topicId });
    expect(created.status).toBe(201);
    return (await waitUntilProcessed(as, created.body.id as string)) as unknown as Bulletin;
  }

  beforeAll(async () => {
    loa = await startTestApp();
    ({ editor, approver } = loa.people);
    fixtures = await mkdtemp(join(tmpdir(), 'loa-library-'));
    topics = await listAll<Topic>(editor, '/api/topics');
  });

  afterAll(async () => {
    await loa?.close();
    await rm(fixtures, { recursive: true, force: true });
  });

  describe('topics', () => {
    it('starts with the themes of the communication plan, in plan order', () => {
      // Topics that other test files add go after them.
      expect(topics.map((topic) => topic.name).slice(0, 11)).toEqual([
        'Nghị quyết 57-NQ/TW',
        'Bình dân học vụ số',
        'Đề án 06 và định danh điện tử',
        'Dịch vụ công trực tuyến',
        'Thanh toán không dùng tiền mặt',
        'Chuyển đổi số trong doanh nghiệp, hợp tác xã, hộ kinh doanh',
        'Chợ số, Nông thôn số',
        'Ngày Chuyển đổi số quốc gia 10/10',
        'Phòng chống thiên tai',
        'Thông báo của UBND xã',
        'Khác',
      ]);
    });

    it('adds, renames and deactivates a topic; a duplicate name is refused', async () => {
      const created = await call<Topic>(editor, 'POST', '/api/topics', { name: 'An toàn giao thông', sortOrder: 200 });
      expect(created.status).toBe(201);
      expect((await call(editor, 'POST', '/api/topics', { name: 'An toàn giao thông' })).status).toBe(409);

      const renamed = await call<Topic>(editor, 'PATCH', `/api/topics/${created.body.id}`, { name: 'An toàn giao thông đường bộ' });
      expect(renamed.body.name).toBe('An toàn giao thông đường bộ');

      await call(editor, 'PATCH', `/api/topics/${created.body.id}`, { active: false });
      const active = await listAll<Topic>(editor, '/api/topics');
      expect(active.map((topic) => topic.id)).not.toContain(created.body.id);
      const all = await listAll<Topic>(editor, '/api/topics?includeInactive=true');
      expect(all.map((topic) => topic.id)).toContain(created.body.id);

      const file = await makeAudio(fixtures, 'inactive.mp3', { source: speechLike(2, 99), output: ['-c:a', 'libmp3lame'] });
      const refused = await uploadBulletin(editor, file, { title: 'Không được', topic: created.body.id });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain('not an active topic');
    });

    it('refuses an empty or unknown field with a message naming it', async () => {
      const empty = await call(editor, 'POST', '/api/topics', { name: '' });
      expect(empty.status).toBe(400);
      expect(empty.body.message).toMatch(/name/);
      const extra = await call(editor, 'POST', '/api/topics', { name: 'X', colour: 'red' });
      expect(extra.status).toBe(400);
      expect(extra.body.message).toMatch(/colour/);
    });
  });

  describe('approval', () => {
    it('approves a ready bulletin, and refuses to approve it again', async () => {
      const bulletin = await readyBulletin('Lịch tiêm chủng tháng 12');
      const approved = await call<Bulletin>(approver, 'POST', `/api/bulletins/${bulletin.id}/approve`);
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
      expect(approved.body.approvedAt).not.toBeNull();

      const again = await call(approver, 'POST', `/api/bulletins/${bulletin.id}/approve`);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(again.body.message).toContain('approved');
    });

    it('rejects with a reason, which the culture office can read, and approval withdrawn', async () => {
      const bulletin = await readyBulletin('Thông báo họp dân');
      await call(approver, 'POST', `/api/bulletins/${bulletin.id}/approve`);
      const noReason = await call(approver, 'POST', `/api/bulletins/${bulletin.id}/reject`, {});
      expect(noReason.status).toBe(400);
      expect(noReason.body.message).toContain('reason');

      const rejected = await call<Bulletin>(approver, 'POST', `/api/bulletins/${bulletin.id}/reject`, { reason: 'Sai ngày họp, thu âm lại' });
      expect(rejected.body).toMatchObject({ status: 'rejected', statusReason: 'Sai ngày họp, thu âm lại', approvedAt: null });
    });

    it('archives a bulletin, after which it can no longer be approved', async () => {
      const bulletin = await readyBulletin('Bản tin cũ');
      expect((await call<Bulletin>(editor, 'POST', `/api/bulletins/${bulletin.id}/archive`)).body.status).toBe('archived');
      const approve = await call(approver, 'POST', `/api/bulletins/${bulletin.id}/approve`);
      expect(approve.status).toBe(409);
      expect((await call(editor, 'POST', `/api/bulletins/${bulletin.id}/archive`)).status).toBe(409);
    });

    it('answers 404 for an unknown bulletin and 400 for a malformed id', async () => {
      const unknown = await call(approver, 'POST', '/api/bulletins/00000000-0000-4000-8000-000000000000/approve');
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toContain('No bulletin');
      expect((await call(editor, 'GET', '/api/bulletins/not-an-id')).status).toBe(400);
    });
  });

  describe('listing', () => {
    it('filters by status, topic and accent-insensitive title words, and pages', async () => {
      const other = topics[3];
      await readyBulletin('Hướng dẫn nộp hồ sơ trực tuyến', other.id);

      const byTopic = await call<Page>(editor, 'GET', `/api/bulletins?topic=${other.id}`);
      expect(byTopic.body.items.map((b) => b.title)).toEqual(['Hướng dẫn nộp hồ sơ trực tuyến']);
      expect(byTopic.body.items[0].topic.name).toBe(other.name);

      const byWords = await call<Page>(editor, 'GET', `/api/bulletins?q=${encodeURIComponent('huong dan nop ho so')}`);
      expect(byWords.body.total).toBe(1);

      const approved = await call<Page>(editor, 'GET', '/api/bulletins?status=approved');
      expect(approved.body.items.every((b) => b.status === 'approved')).toBe(true);
      expect(approved.body.total).toBe(1);

      const all = await call<Page>(editor, 'GET', '/api/bulletins');
      const first = await call<Page>(editor, 'GET', '/api/bulletins?page=1&pageSize=2');
      const second = await call<Page>(editor, 'GET', '/api/bulletins?page=2&pageSize=2');
      expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: all.body.total });
      expect([...first.body.items, ...second.body.items].map((b) => b.id)).toEqual(all.body.items.slice(0, 4).map((b) => b.id));
    });

    it('treats % and _ in the search as plain characters', async () => {
      expect((await call<Page>(editor, 'GET', '/api/bulletins?q=%25')).body.total).toBe(0);
    });

    it('refuses a bad filter with a message', async () => {
      const response = await call(editor, 'GET', '/api/bulletins?status=playing&pageSize=1000');
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/status/);
      expect(response.body.message).toMatch(/pageSize/);
    });
  });

  describe('commune scope', () => {
    const TITLE = 'Lịch thu gom rác thôn Phú Mỹ';
    let file: string;
    let sha256: string;
    let ours: Bulletin;

    beforeAll(async () => {
      file = await freshAudio();
      sha256 = await sha256Of(file);
      ours = await readyBulletin(TITLE, topics[0].id, file);
      expect(ours.communeId).toBe(loa.places.commune.id);
    });

    it("keeps a commune's bulletin out of another commune's list", async () => {
      // Its own commune sees it, so the empty answer below is the scope at work, not a failed upload.
      expect((await call<Page>(editor, 'GET', `/api/bulletins?q=${encodeURIComponent(TITLE)}`)).body.items.map((b) => b.id)).toEqual([ours.id]);

      const theirs = await call<Page>(loa.people.otherEditor, 'GET', '/api/bulletins');
      expect(theirs.status).toBe(200);
      expect(theirs.body).toMatchObject({ items: [], total: 0 });
      const searched = await call<Page>(loa.people.otherEditor, 'GET', `/api/bulletins?q=${encodeURIComponent(TITLE)}`);
      expect(searched.body).toMatchObject({ items: [], total: 0 });
      // Naming the commune does not widen the scope.
      const named = await call<Page>(loa.people.otherEditor, 'GET', `/api/bulletins?communeId=${loa.places.commune.id}`);
      expect(named.body.total).toBe(0);
    });

    it('answers 404 to another commune, as for a bulletin that does not exist, and leaves it as it was', async () => {
      const other = loa.people.otherEditor;
      const read = await call(other, 'GET', `/api/bulletins/${ours.id}`);
      expect(read.status).toBe(404);
      expect(read.body.message).toContain('No bulletin');
      expect(read.body).not.toHaveProperty('title');

      for (const variant of ['rendition', 'original']) {
        const audio = await fetch(`${loa.url}/api/bulletins/${ours.id}/audio?variant=${variant}`, { headers: authHeader(other) });
        expect(audio.status).toBe(404);
        expect(audio.headers.get('content-type')).toContain('application/json');
        expect(((await audio.json()) as { message: string }).message).toContain('No bulletin');
      }

      const approve = await call(loa.people.otherApprover, 'POST', `/api/bulletins/${ours.id}/approve`);
      expect(approve.status).toBe(404);
      expect(approve.body.message).toContain('No bulletin');
      const after = await call<Bulletin>(editor, 'GET', `/api/bulletins/${ours.id}`);
      expect(after.body).toMatchObject({ status: 'ready', approvedAt: null });

      // The same requests from the commune itself succeed, so the 404s above are the scope at work.
      const ownAudio = await fetch(`${loa.url}/api/bulletins/${ours.id}/audio`, { headers: authHeader(editor) });
      expect(ownAudio.status).toBe(200);
      expect((await ownAudio.arrayBuffer()).byteLength).toBeGreaterThan(0);
    });

    it('accepts the same audio from another commune as its own bulletin, storing the file once', async () => {
      const other = loa.people.otherEditor;
      const created = await uploadBulletin(other, file, { title: 'Lịch thu gom rác thôn Hà Lam', topic: topics[0].id });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ communeId: loa.places.otherCommune.id, originalSha256: sha256 });
      expect(created.body.id).not.toBe(ours.id);
      expect(await waitUntilProcessed(other, created.body.id as string)).toMatchObject({ status: 'ready' });

      // One bulletin per commune, one file on disk.
      expect(await rowsHolding(loa, sha256)).toBe(2);
      const originals = await filesUnder(join(loa.audioDir, 'originals'));
      expect(originals.filter((path) => path.includes(sha256))).toEqual([originalPath(sha256)]);

      // Each commune sees its own bulletin only.
      expect((await call<Page>(other, 'GET', '/api/bulletins')).body.items.map((b) => b.id)).toEqual([created.body.id]);
      expect((await call<Bulletin>(editor, 'GET', `/api/bulletins/${ours.id}`)).body.communeId).toBe(loa.places.commune.id);

      // Within a commune the same audio is still a duplicate, pointing at that commune's bulletin.
      const again = await uploadBulletin(other, file, { title: 'Lần nữa', topic: topics[0].id }, 'again.mp3');
      expect(again.status).toBe(409);
      expect(again.body.bulletinId).toBe(created.body.id);
      const ourAgain = await uploadBulletin(editor, file, { title: 'Lần nữa', topic: topics[0].id }, 'again.mp3');
      expect(ourAgain.status).toBe(409);
      expect(ourAgain.body.bulletinId).toBe(ours.id);
      expect(await rowsHolding(loa, sha256)).toBe(2);
    });

    it('refuses the library to a village operator with 403', async () => {
      const listed = await call(loa.people.operator, 'GET', '/api/bulletins');
      expect(listed.status).toBe(403);
      expect(listed.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect(listed.body).not.toHaveProperty('items');
    });
  });
});
