import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from './support/api';
import { makeAudio, speechLike } from './support/audio-fixtures';
import { uploadBulletin, waitUntilProcessed } from './support/bulletin-client';
import { resetLibrary, startTestApp, TestApp } from './support/test-app';

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

  async function readyBulletin(title: string, topicId = topics[0].id): Promise<Bulletin> {
    const file = await makeAudio(fixtures, `b${seed}.mp3`, { source: speechLike(2, seed++), output: ['-c:a', 'libmp3lame'] });
    const created = await uploadBulletin(loa.url, file, { title, topic: topicId });
    expect(created.status).toBe(201);
    return (await waitUntilProcessed(loa.url, created.body.id as string)) as unknown as Bulletin;
  }

  beforeAll(async () => {
    loa = await startTestApp();
    await resetLibrary(loa.dataSource);
    fixtures = await mkdtemp(join(tmpdir(), 'loa-library-'));
    topics = (await call<Topic[]>(loa.url, 'GET', '/api/topics')).body;
  });

  afterAll(async () => {
    await loa?.close();
    await rm(fixtures, { recursive: true, force: true });
  });

  describe('topics', () => {
    it('starts with the themes of the communication plan, in plan order', () => {
      expect(topics.map((topic) => topic.name)).toEqual([
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
      const created = await call<Topic>(loa.url, 'POST', '/api/topics', { name: 'An toàn giao thông', sortOrder: 200 });
      expect(created.status).toBe(201);
      expect((await call(loa.url, 'POST', '/api/topics', { name: 'An toàn giao thông' })).status).toBe(409);

      const renamed = await call<Topic>(loa.url, 'PATCH', `/api/topics/${created.body.id}`, { name: 'An toàn giao thông đường bộ' });
      expect(renamed.body.name).toBe('An toàn giao thông đường bộ');

      await call(loa.url, 'PATCH', `/api/topics/${created.body.id}`, { active: false });
      const active = await call<Topic[]>(loa.url, 'GET', '/api/topics');
      expect(active.body.map((topic) => topic.id)).not.toContain(created.body.id);
      const all = await call<Topic[]>(loa.url, 'GET', '/api/topics?includeInactive=true');
      expect(all.body.map((topic) => topic.id)).toContain(created.body.id);

      const file = await makeAudio(fixtures, 'inactive.mp3', { source: speechLike(2, 99), output: ['-c:a', 'libmp3lame'] });
      const refused = await uploadBulletin(loa.url, file, { title: 'Không được', topic: created.body.id });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain('not an active topic');
    });

    it('refuses an empty or unknown field with a message naming it', async () => {
      const empty = await call(loa.url, 'POST', '/api/topics', { name: '' });
      expect(empty.status).toBe(400);
      expect(empty.body.message).toMatch(/name/);
      const extra = await call(loa.url, 'POST', '/api/topics', { name: 'X', colour: 'red' });
      expect(extra.status).toBe(400);
      expect(extra.body.message).toMatch(/colour/);
    });
  });

  describe('approval', () => {
    it('approves a ready bulletin, and refuses to approve it again', async () => {
      const bulletin = await readyBulletin('Lịch tiêm chủng tháng 12');
      const approved = await call<Bulletin>(loa.url, 'POST', `/api/bulletins/${bulletin.id}/approve`);
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('approved');
      expect(approved.body.approvedAt).not.toBeNull();

      const again = await call(loa.url, 'POST', `/api/bulletins/${bulletin.id}/approve`);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(again.body.message).toContain('approved');
    });

    it('rejects with a reason, which the culture office can read, and approval withdrawn', async () => {
      const bulletin = await readyBulletin('Thông báo họp dân');
      await call(loa.url, 'POST', `/api/bulletins/${bulletin.id}/approve`);
      const noReason = await call(loa.url, 'POST', `/api/bulletins/${bulletin.id}/reject`, {});
      expect(noReason.status).toBe(400);
      expect(noReason.body.message).toContain('reason');

      const rejected = await call<Bulletin>(loa.url, 'POST', `/api/bulletins/${bulletin.id}/reject`, { reason: 'Sai ngày họp, thu âm lại' });
      expect(rejected.body).toMatchObject({ status: 'rejected', statusReason: 'Sai ngày họp, thu âm lại', approvedAt: null });
    });

    it('archives a bulletin, after which it can no longer be approved', async () => {
      const bulletin = await readyBulletin('Bản tin cũ');
      expect((await call<Bulletin>(loa.url, 'POST', `/api/bulletins/${bulletin.id}/archive`)).body.status).toBe('archived');
      const approve = await call(loa.url, 'POST', `/api/bulletins/${bulletin.id}/approve`);
      expect(approve.status).toBe(409);
      expect((await call(loa.url, 'POST', `/api/bulletins/${bulletin.id}/archive`)).status).toBe(409);
    });

    it('answers 404 for an unknown bulletin and 400 for a malformed id', async () => {
      const unknown = await call(loa.url, 'POST', '/api/bulletins/00000000-0000-4000-8000-000000000000/approve');
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toContain('No bulletin');
      expect((await call(loa.url, 'GET', '/api/bulletins/not-an-id')).status).toBe(400);
    });
  });

  describe('listing', () => {
    it('filters by status, topic and accent-insensitive title words, and pages', async () => {
      const other = topics[3];
      await readyBulletin('Hướng dẫn nộp hồ sơ trực tuyến', other.id);

      const byTopic = await call<Page>(loa.url, 'GET', `/api/bulletins?topic=${other.id}`);
      expect(byTopic.body.items.map((b) => b.title)).toEqual(['Hướng dẫn nộp hồ sơ trực tuyến']);
      expect(byTopic.body.items[0].topic.name).toBe(other.name);

      const byWords = await call<Page>(loa.url, 'GET', `/api/bulletins?q=${encodeURIComponent('huong dan nop ho so')}`);
      expect(byWords.body.total).toBe(1);

      const approved = await call<Page>(loa.url, 'GET', '/api/bulletins?status=approved');
      expect(approved.body.items.every((b) => b.status === 'approved')).toBe(true);
      expect(approved.body.total).toBe(1);

      const all = await call<Page>(loa.url, 'GET', '/api/bulletins');
      const first = await call<Page>(loa.url, 'GET', '/api/bulletins?page=1&pageSize=2');
      const second = await call<Page>(loa.url, 'GET', '/api/bulletins?page=2&pageSize=2');
      expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: all.body.total });
      expect([...first.body.items, ...second.body.items].map((b) => b.id)).toEqual(all.body.items.slice(0, 4).map((b) => b.id));
    });

    it('treats % and _ in the search as plain characters', async () => {
      expect((await call<Page>(loa.url, 'GET', '/api/bulletins?q=%25')).body.total).toBe(0);
    });

    it('refuses a bad filter with a message', async () => {
      const response = await call(loa.url, 'GET', '/api/bulletins?status=playing&pageSize=1000');
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/status/);
      expect(response.body.message).toMatch(/pageSize/);
    });
  });
});
