import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { authHeader, Session } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

/** The console in a real browser (Debian's Chromium), against the real service, database, queue and ffmpeg. */
const ROOT = join(__dirname, '..', '..');
const ARTIFACTS = join(__dirname, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

describe('web console', () => {
  let loa: TestApp;
  let browser: Browser;
  let workDir: string;
  const contexts: BrowserContext[] = [];
  const title = `Hướng dẫn cài đặt VNeID mức 2 ${Date.now()}`;

  beforeAll(async () => {
    // `npm test` builds the console first; a direct `jest` run builds it here when it is missing.
    if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
      execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.mts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    }
    await mkdir(ARTIFACTS, { recursive: true });
    workDir = await mkdtemp(join(tmpdir(), 'loa-web-'));
    // launch() gives every run a fresh, throw-away user-data-dir; each person gets an isolated context (own localStorage).
    [loa, browser] = await Promise.all([startTestApp(), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })]);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    await browser?.close();
    await loa?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${loa.url}/`);
    return page;
  }

  async function signIn(page: Page, person: Session): Promise<void> {
    await page.getByLabel('Tên đăng nhập').fill(person.user.username);
    await page.getByLabel('Mật khẩu').fill(person.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('navigation', { name: 'Menu chính' }).waitFor();
  }

  const menuOf = (page: Page) => page.getByRole('navigation', { name: 'Menu chính' }).getByRole('link').allTextContents();
  // Evaluated in the page; written as strings because this project's TypeScript has no DOM library.
const scrollWidth = (page: Page) => page.evaluate('document.documentElement.scrollWidth') as Promise<number>;
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
    await page.screenshot({ path: join(ARTIFACTS, 'login-phone.png'), fullPage: true });

    await page.getByLabel('Tên đăng nhập').fill(loa.people.operator.user.username);
    await page.getByLabel('Mật khẩu').fill('not the password');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('alert').filter({ hasText: 'Sai tên đăng nhập hoặc mật khẩu' }).waitFor();

    await signIn(page, loa.people.operator);
    const menu = await menuOf(page);
    expect(menu).toContain('Thiết bị');
    expect(menu).not.toContain('Bản tin');
    expect(menu).not.toContain('Người dùng');
    expect(menu).not.toContain('Nhật ký hệ thống');
    await page.getByRole('heading', { name: 'Thiết bị', level: 1 }).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: join(ARTIFACTS, 'operator-phone.png'), fullPage: true });
  });

  it('the editor uploads a bulletin with a progress bar and sees it become ready without a reload', async () => {
    const file = await makeAudio(workDir, 'ban-tin.mp3', { source: speechLike(6, 4242), output: ['-c:a', 'libmp3lame', '-b:a', '128k'] });
    const page = await open(DESKTOP);
    await signIn(page, loa.people.editor);
    expect(await menuOf(page)).toEqual(['Bản tin', 'Thiết bị']);
    await page.getByRole('heading', { name: 'Tải lên bản tin mới' }).waitFor();
    // Marks this document: if the page reloaded, the mark would be gone.
    await page.evaluate('window.loaSameDocument = true');

    await page.getByLabel('Tiêu đề').fill(title);
    await page.getByLabel('Chủ đề').selectOption({ index: 1 });
    await page.getByLabel('Tệp âm thanh').setInputFiles(file);
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await page.getByText('Tải lên xong 100%').waitFor();
    expect(await page.getByLabel('Tiến độ tải lên').evaluate((bar) => (bar as unknown as { value: number }).value)).toBe(1);
    await page.getByRole('status').filter({ hasText: 'Đã tải lên' }).waitFor();

    await card(page).locator('[data-status="ready"]', { hasText: 'Sẵn sàng' }).waitFor({ timeout: 45_000 });
    expect(await page.evaluate('window.loaSameDocument')).toBe(true);
    expect(await card(page).locator('.loudness').textContent()).toMatch(/^-1\d,\d LUFS$/);
    expect(await card(page).locator('.duration').textContent()).toMatch(/^0:0[5-6]$/);
    await page.screenshot({ path: join(ARTIFACTS, 'editor-ready.png'), fullPage: true });
  });

  it('on a phone, the approver listens (the player seeks) and approves it', async () => {
    const page = await open(PHONE);
    await signIn(page, loa.people.approver);
    await card(page).waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: join(ARTIFACTS, 'approver-list-phone.png'), fullPage: true });

    await card(page).getByRole('button', { name: 'Nghe và xem chi tiết' }).click();
    const player = card(page).locator('audio');
    await player.waitFor();
    const seeked = await player.evaluate(async (element) => {
      type Audio = { readyState: number; currentTime: number; duration: number; src: string; addEventListener(type: string, listener: () => void, options: object): void };
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
    await page.screenshot({ path: join(ARTIFACTS, 'approver-approved-phone.png'), fullPage: true });

    const answer = await fetch(`${loa.url}/api/bulletins?q=${encodeURIComponent(title)}`, { headers: authHeader(loa.people.approver) });
    const { items } = (await answer.json()) as { items: { status: string; reviewedBy: string }[] };
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'approved', reviewedBy: loa.people.approver.user.id });
  });
  it('the admin adds and edits a speaker, and reads the users and the audit log', async () => {
    const page = await open(DESKTOP);
    await signIn(page, loa.people.admin);
    expect(await menuOf(page)).toEqual(['Bản tin', 'Thiết bị', 'Người dùng', 'Nhật ký hệ thống']);

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
    const speakers = (await (await fetch(`${loa.url}/api/speakers`, { headers: authHeader(loa.people.admin) })).json()) as { name: string; secretsSet: boolean; settings: unknown }[];
    expect(speakers.find((speaker) => speaker.name === secondName)).toMatchObject({ secretsSet: true, settings: { url: 'http://10.0.0.5' } });
    await page.screenshot({ path: join(ARTIFACTS, 'admin-speakers.png'), fullPage: true });

    await page.getByRole('link', { name: 'Người dùng' }).click();
    await page.getByRole('cell', { name: loa.people.editor.user.username }).waitFor();
    // The tables turn into one card per row on a phone.
    await page.setViewportSize(PHONE);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-users-phone.png'), fullPage: true });
    await page.getByRole('link', { name: 'Nhật ký hệ thống' }).click();
    await page.getByLabel('Tài khoản').fill(loa.people.approver.user.username);
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.locator('tbody tr', { hasText: 'approve' }).first().waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: join(ARTIFACTS, 'admin-audit.png'), fullPage: true });
  });
});
