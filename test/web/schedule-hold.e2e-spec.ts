import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { call } from '../support/api';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { uploadApproved } from '../support/bulletin-client';
import { startTestApp, TestApp } from '../support/test-app';
import { DESKTOP, launchChromium, People, prepareConsole, shot, signIn } from './browser-support';

/** The console says why a schedule is held after leadership rejected its bulletin, and what the editor can do. */
describe('web console: a schedule held by a rejected bulletin', () => {
  let loa: TestApp;
  let browser: Browser;
  let people: People;
  let workDir: string;

  beforeAll(async () => {
    await prepareConsole();
    workDir = await mkdtemp(join(tmpdir(), 'loa-web-hold-'));
    [loa, browser] = await Promise.all([startTestApp(), launchChromium()]);
    people = new People(browser, loa.url);
  }, 120_000);

  afterAll(async () => {
    await people?.close();
    await browser?.close();
    await loa?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('shows the hold with the bulletin and the approver’s reason, and the refusal to resume', async () => {
    const file = await makeAudio(workDir, 'ban-tin.mp3', { source: speechLike(2, 77), output: ['-c:a', 'libmp3lame', '-b:a', '64k'] });
    const bulletinTitle = 'Tuyên truyền Ngày Chuyển đổi số 10/10';
    const bulletinId = await uploadApproved(loa.people.editor, loa.people.approver, file, bulletinTitle);
    const created = await call(loa.people.editor, 'POST', '/api/schedules', {
      title: 'Bản tin sáng chiều thôn',
      bulletinIds: [bulletinId],
      targets: { villageIds: [loa.places.village.id] },
      rrule: 'FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0',
    });
    expect(created.status).toBe(201);
    const reason = 'Số liệu chưa được kiểm chứng';
    expect((await call(loa.people.approver, 'POST', `/api/bulletins/${bulletinId}/reject`, { reason })).status).toBe(200);

    const page = await people.open(DESKTOP);
    await signIn(page, loa.people.editor);
    await page.getByRole('link', { name: 'Lịch phát' }).click();
    const row = page.locator('li.schedule', { hasText: 'Bản tin sáng chiều thôn' });
    await row.locator('[data-status="paused"]').waitFor();
    const hold = row.locator('[data-hold="bulletin_rejected"]');
    await hold.waitFor();
    const text = await hold.textContent();
    expect(text).toContain(`vì lãnh đạo đã từ chối bản tin “${bulletinTitle}”`);
    expect(text).toContain(`Lý do: ${reason}.`);
    expect(text).toContain('đề nghị lãnh đạo duyệt lại');

    await row.getByRole('button', { name: 'Tiếp tục' }).click();
    await row.getByRole('alert').filter({ hasText: 'cannot resume' }).waitFor();
    await row.locator('[data-status="paused"]').waitFor();
    await shot(page, 'schedule-held-by-rejection');
  }, 180_000);
});
