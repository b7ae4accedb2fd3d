import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { listAll } from '../support/api';
import { authHeader } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';
import { DESKTOP, launchChromium, markDocument, menuOf, People, PHONE, prepareConsole, sameDocument, scrollWidth, shot, signIn } from './browser-support';

/** The console in a real browser (Debian's Chromium), against the real service, database, queue and ffmpeg. */
describe('web console', () => {
  let loa: TestApp;
  let browser: Browser;
  let people: People;
  let workDir: string;
  const title = `Hướng dẫn cài đặt VNeID mức 2 ${Date.now()}`;

  beforeAll(async () => {
    await prepareConsole();
    workDir = await mkdtemp(join(tmpdir(), 'loa-web-'));
    [loa, browser] = await Promise.all([startTestApp(), launchChromium()]);
    people = new People(browser, loa.url);
  });

  afterAll(async () => {
    await people?.close();
    await browser?.close();
    await loa?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const open = (viewport: { width: number; height: number }) => people.open(viewport);
  const card = (page: Page) => page.locator('li.bulletin', { hasText: title });

  it('serves the console at / and for deep links, while /api stays the API', async () => {
    const home = await fetch(`${loa.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<div id="app">');
    expect((await fetch(`${loa.url}/thiet-bi`, { headers: { Accept: 'text/html' } })).status).toBe(200);
    const unknownApi = await fetch(`${loa.url}/api/no-such-thing`, { headers: { Accept: 'text/html' } });
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${loa.url}/api/bulletins`)).status).toBe(401);
  });

  it('on a 360 × 740 phone, the operator signs in and sees only the screens an operator may use', async () => {
    const page = await open(PHONE);
    await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'login-phone');

    await page.getByLabel('Tên đăng nhập').fill(loa.people.operator.user.username);
    await page.getByLabel('Mật khẩu').fill('not the password');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sai tên đăng nhập hoặc mật khẩu' }).waitFor();

    await signIn(page, loa.people.operator);
    const menu = await menuOf(page);
    expect(menu).toEqual(['Thôn của tôi', 'Thiết bị', 'Báo cáo']);
    expect(menu).not.toContain('Bản tin');
    expect(menu).not.toContain('Người dùng');
    expect(menu).not.toContain('Nhật ký hệ thống');
    // An operator lands on their village's broadcasts of the day.
    await page.getByRole('heading', { name: 'Thôn của tôi', level: 1 }).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'operator-phone');
  });

  it('the editor uploads a bulletin with a progress bar and sees it become ready without a reload', async () => {
    const file = await makeAudio(workDir, 'ban-tin.mp3', { source: speechLike(6, 4242), output: ['-c:a', 'libmp3lame', '-b:a', '128k'] });
    const page = await open(DESKTOP);
    await signIn(page, loa.people.editor);
    expect(await menuOf(page)).toEqual(['Tổng quan', 'Bản tin', 'Lịch phát', 'Phát khẩn cấp', 'Thiết bị', 'Báo cáo']);
    await page.getByRole('heading', { name: 'Tải lên bản tin mới' }).waitFor();
    await markDocument(page);

    await page.getByLabel('Tiêu đề').fill(title);
    await page.getByLabel('Chủ đề').selectOption({ index: 1 });
    await page.getByLabel('Tệp âm thanh').setInputFiles(file);
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await page.getByText('Tải lên xong 100%').waitFor();
    expect(await page.getByLabel('Tiến độ tải lên').evaluate((bar) => (bar as unknown as { value: number }).value)).toBe(1);
    await page.getByRole('status').filter({ hasText: 'Đã tải lên' }).waitFor();

    await card(page).locator('[data-status="ready"]', { hasText: 'Sẵn sàng' }).waitFor({ timeout: 45_000 });
    expect(await sameDocument(page)).toBe(true);
    expect(await card(page).locator('.loudness').textContent()).toMatch(/^-1\d,\d LUFS$/);
    expect(await card(page).locator('.duration').textContent()).toMatch(/^0:0[5-6]$/);
    await shot(page, 'editor-ready');
  });

  it('on a phone, the approver listens (the player seeks) and approves it', async () => {
    const page = await open(PHONE);
    await signIn(page, loa.people.approver);
    // A bulletin waits for approval, so the approver lands on the bulletins rather than the dashboard.
    await page.getByRole('heading', { name: 'Bản tin', level: 1 }).waitFor();
    await card(page).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'approver-list-phone');

    await card(page).getByRole('button', { name: 'Nghe và xem chi tiết' }).click();
    const player = card(page).locator('audio');
    await player.waitFor();
    const seeked = await player.evaluate(async (element) => {
      type Audio = {
        readyState: number;
        currentTime: number;
        duration: number;
        src: string;
        addEventListener(type: string, listener: () => void, options: object): void;
      };
      const audio = element as unknown as Audio;
      if (audio.readyState < 1) await new Promise<void>((resolve) => audio.addEventListener('loadedmetadata', resolve, { once: true }));
      audio.currentTime = 3;
      await new Promise<void>((resolve) => audio.addEventListener('seeked', resolve, { once: true }));
      return { duration: audio.duration, at: audio.currentTime, blob: audio.src.startsWith('blob:') };
    });
    expect(seeked.blob).toBe(true);
    expect(seeked.duration).toBeGreaterThan(5);
    expect(seeked.at).toBeCloseTo(3, 0);

    await card(page).getByRole('button', { name: 'Duyệt phát sóng' }).click();
    await card(page).locator('[data-status="approved"]', { hasText: 'Đã duyệt' }).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'approver-approved-phone');

    const answer = await fetch(`${loa.url}/api/bulletins?q=${encodeURIComponent(title)}`, { headers: authHeader(loa.people.approver) });
    const { items } = (await answer.json()) as { items: { status: string; reviewedBy: string }[] };
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'approved', reviewedBy: loa.people.approver.user.id });
  });
  it('the admin adds and edits a speaker, and reads the users and the audit log', async () => {
    const page = await open(DESKTOP);
    await signIn(page, loa.people.admin);
    expect(await menuOf(page)).toEqual(['Tổng quan', 'Bản tin', 'Lịch phát', 'Phát khẩn cấp', 'Thiết bị', 'Báo cáo', 'Người dùng', 'Nhật ký hệ thống']);
    await page.getByRole('heading', { name: 'Tổng quan', level: 1 }).waitFor();

    // Unique names: an admin sees every commune's villages, and other test files name theirs alike.
    const suffix = randomUUID().slice(0, 6);
    const firstName = `Cụm loa nhà văn hóa ${suffix}`;
    const secondName = `Cụm loa chợ ${suffix}`;
    await page.getByRole('link', { name: 'Thiết bị' }).click();
    await page.getByRole('button', { name: '+ Thêm cụm loa' }).click();
    await page.getByLabel('Thôn').selectOption(loa.places.village.id);
    await page.getByLabel('Tên cụm loa').fill(firstName);
    await page.getByLabel('Loại thiết bị (driver)').selectOption('axis-vapix');
    await page.getByLabel('Địa chỉ (URL)').fill('http://10.0.0.5');
    await page.getByLabel('Tên đăng nhập thiết bị').fill('root');
    await page.getByLabel('Mật khẩu thiết bị').fill('mật khẩu loa');
    await page.getByLabel('Nhãn (cách nhau bởi dấu phẩy)').fill('ven biển, chợ');
    await page.getByRole('button', { name: 'Lưu' }).click();
    const group = page.locator('section.village', { has: page.getByRole('heading', { name: loa.places.village.name }) });
    const row = group.locator('li.speaker', { hasText: firstName });
    await row.locator('[data-status="unknown"]', { hasText: 'Chưa kiểm tra' }).waitFor();
    expect(await row.locator('.tag').allTextContents()).toEqual(['ven biển', 'chợ']);

    await row.getByRole('button', { name: 'Sửa' }).click();
    await page.getByLabel('Tên cụm loa').fill(secondName);
    await page.getByRole('button', { name: 'Lưu' }).click();
    await group.locator('li.speaker', { hasText: secondName }).waitFor();
    const speakers = await listAll<{ name: string; secretsSet: boolean; settings: unknown }>(loa.people.admin, '/api/speakers');
    expect(speakers.find((speaker) => speaker.name === secondName)).toMatchObject({ secretsSet: true, settings: { url: 'http://10.0.0.5' } });
    await shot(page, 'admin-speakers');

    await page.getByRole('link', { name: 'Người dùng' }).click();
    await page.getByRole('cell', { name: loa.people.editor.user.username }).waitFor();
    // The tables turn into one card per row on a phone.
    await page.setViewportSize(PHONE);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'admin-users-phone');
    await page.getByRole('link', { name: 'Nhật ký hệ thống' }).click();
    await page.getByLabel('Người liên quan').selectOption(loa.people.approver.user.id);
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.locator('tbody tr', { hasText: 'đã duyệt một bản tin' }).first().waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'admin-audit');
  });

  it('the editor creates daily schedules from a preset, is warned of an overlap before saving, and pauses, resumes and cancels', async () => {
    const page = await open(DESKTOP);
    await signIn(page, loa.people.editor);
    await page.getByRole('link', { name: 'Lịch phát' }).click();
    const create = async (name: string) => {
      await page.getByLabel('Tên lịch phát').fill(name);
      await page.getByLabel(title).check();
      await page.getByRole('button', { name: 'Hằng ngày 06:00 và 17:00' }).click();
      await page.getByLabel(`${loa.places.village.name} (`).check();
      await page.getByRole('button', { name: 'Kiểm tra và lưu lịch' }).click();
    };
    const morning = `Bản tin sáng chiều ${randomUUID().slice(0, 4)}`;
    await create(morning);
    await page
      .getByRole('status')
      .filter({ hasText: `Đã lưu lịch “${morning}”` })
      .waitFor();
    const saved = await listAll<{ title: string; rrule: string }>(loa.people.editor, '/api/schedules');
    expect(saved.find((schedule) => schedule.title === morning)?.rrule).toContain('RRULE:FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0');

    // The same slots on the same speakers: the overlap is shown before anything is saved.
    const again = `Bản tin trùng giờ ${randomUUID().slice(0, 4)}`;
    await create(again);
    const warning = page.getByRole('alert').filter({ hasText: 'trùng giờ với lịch khác' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain(`trùng với “${morning}”`);
    const before = await listAll(loa.people.editor, '/api/schedules');
    expect(before).toHaveLength(saved.length);
    await shot(page, 'schedules-overlap-warning');
    await page.getByRole('button', { name: 'Vẫn lưu lịch' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Đã lưu lịch “${again}”` })
      .waitFor();
    await page.getByText('Máy chủ báo lịch này trùng giờ với:').waitFor();

    const row = page.locator('li.schedule', { hasText: again });
    await row.getByRole('button', { name: 'Tạm dừng' }).click();
    await page.locator('li.schedule', { hasText: again }).locator('[data-status="paused"]').waitFor();
    await page.locator('li.schedule', { hasText: again }).getByRole('button', { name: 'Tiếp tục' }).click();
    await page.locator('li.schedule', { hasText: again }).locator('[data-status="active"]').waitFor();
    await page.locator('li.schedule', { hasText: again }).getByRole('button', { name: 'Hủy lịch…' }).click();
    await page.locator('li.schedule', { hasText: again }).getByRole('button', { name: 'Xác nhận hủy' }).click();
    await page.locator('li.schedule', { hasText: again }).locator('[data-status="cancelled"]').waitFor();
    expect(await page.locator('.chip', { hasText: morning }).count()).toBeGreaterThan(0);
    expect(await page.locator('.chip', { hasText: again }).count()).toBe(0);
    await page.setViewportSize(PHONE);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, 'schedules-phone');
  });

  it('speaks English when asked, remembers it, and goes back to Vietnamese', async () => {
    const page = await open(PHONE);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Username').fill(loa.people.viewer.user.username);
    await page.getByLabel('Password').fill(loa.people.viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A viewer lands on the reports.
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link').allTextContents()).toEqual([
      'Overview',
      'Bulletins',
      'Schedules',
      'Speakers',
      'Reports',
    ]);
    await page.reload();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await shot(page, 'english-phone');
    await page.getByRole('button', { name: 'Chuyển sang tiếng Việt' }).click();
    await page.getByRole('heading', { name: 'Báo cáo', level: 1 }).waitFor();
    expect(await menuOf(page)).toEqual(['Tổng quan', 'Bản tin', 'Lịch phát', 'Thiết bị', 'Báo cáo']);
  });
});
