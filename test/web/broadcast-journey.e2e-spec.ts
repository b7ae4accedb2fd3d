import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { Emulator, startEmulator } from '../../src/emulator/emulator';
import { PlaybackPlanner } from '../../src/playbacks/playback-planner';
import { call, listAll } from '../support/api';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { DESKTOP, launchChromium, markDocument, People, PHONE, prepareConsole, sameDocument, scrollWidth, shot, signIn, tabTo } from './browser-support';

/** The emulated speaker plays five times faster than real time; the service drives it at the same scale. */
const TIME_SCALE = 0.2;
const AXIS_PASSWORD = 'Loa-Axis-Mật-khẩu-2026';

type Body = Record<string, any>;

/**
 * One broadcast from upload to report, all in the browser: the editor uploads, the approver approves, the editor
 * schedules it a minute ahead, the emulated speaker plays it, the approver's dashboard shows it played without a
 * reload, the village operator confirms it on a phone (a neighbouring village's operator does not see it), and the
 * approver downloads the month's report as XLSX.
 */
describe('web console: a broadcast from upload to report', () => {
  let loa: TestApp;
  let browser: Browser;
  let people: People;
  let device: Emulator;
  let workDir: string;
  let dashboard: Page;
  let scheduleId: string;
  const title = `Tuyên truyền Ngày Chuyển đổi số ${randomUUID().slice(0, 6)}`;
  const scheduleTitle = `Bản tin thử ${randomUUID().slice(0, 6)}`;
  const speakerName = `Cụm loa nhà văn hóa ${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    await prepareConsole();
    workDir = await mkdtemp(join(tmpdir(), 'loa-journey-'));
    [loa, browser, device] = await Promise.all([
      startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE) }),
      launchChromium(),
      startEmulator({ driver: 'axis-vapix', password: AXIS_PASSWORD, timeScale: TIME_SCALE }),
    ]);
    people = new People(browser, loa.url);
    const speaker = await call<Body>(loa.people.admin, 'POST', '/api/speakers', {
      villageId: loa.places.village.id,
      name: speakerName,
      driver: 'axis-vapix',
      settings: { url: device.url },
      secrets: { username: 'root', password: AXIS_PASSWORD },
    });
    expect(speaker.status).toBe(201);
  });

  afterAll(async () => {
    await people?.close();
    await browser?.close();
    await device?.close();
    await loa?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const card = (page: Page) => page.locator('li.bulletin', { hasText: title });

  it('the editor uploads a bulletin and the approver approves it', async () => {
    const file = await makeAudio(workDir, 'chuyen-doi-so.mp3', { source: speechLike(8, 1010), output: ['-c:a', 'libmp3lame', '-b:a', '96k'] });
    const editor = await people.open(DESKTOP);
    await signIn(editor, loa.people.editor);
    await editor.getByLabel('Tiêu đề').fill(title);
    await editor.getByLabel('Chủ đề').selectOption({ index: 1 });
    await editor.getByLabel('Tệp âm thanh').setInputFiles(file);
    await editor.getByRole('button', { name: 'Tải lên' }).click();
    await card(editor).locator('[data-status="ready"]').waitFor({ timeout: 60_000 });

    const approver = await people.open(DESKTOP);
    await signIn(approver, loa.people.approver);
    await card(approver).getByRole('button', { name: 'Nghe và xem chi tiết' }).click();
    await card(approver).getByRole('button', { name: 'Duyệt phát sóng' }).click();
    await card(approver).locator('[data-status="approved"]').waitFor();
    await shot(approver, 'journey-approved');

    // The approver keeps the dashboard open from now on; it must follow the broadcast without a reload.
    await approver.getByRole('link', { name: 'Tổng quan' }).click();
    await approver.getByRole('heading', { name: 'Tổng quan', level: 1 }).waitFor();
    await approver.locator('.live-badge[data-state="live"]').waitFor();
    await markDocument(approver);
    dashboard = approver;
  });

  it('the editor schedules it for a minute ahead with the week calendar and the village picker', async () => {
    const editor = await people.open(DESKTOP);
    await signIn(editor, loa.people.editor);
    await editor.getByRole('link', { name: 'Lịch phát' }).click();
    await editor.getByRole('heading', { name: 'Tạo lịch phát' }).waitFor();
    // The next whole minute at least a minute from now, on the commune's clock.
    const at = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000);
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Ho_Chi_Minh',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .reduce<Record<string, string>>((parts, part) => ({ ...parts, [part.type]: part.value }), {});

    await editor.getByLabel('Tên lịch phát').fill(scheduleTitle);
    await editor.getByLabel(title).check();
    await editor.getByRole('button', { name: 'Phát một lần' }).click();
    await editor.getByLabel('Ngày phát').fill(`${local.year}-${local.month}-${local.day}`);
    await editor.getByLabel('Giờ phát').fill(`${local.hour}:${local.minute}`);
    await editor.getByLabel(`${loa.places.village.name} (1 cụm loa)`).check();
    await editor.getByRole('button', { name: 'Kiểm tra và lưu lịch' }).click();
    await editor
      .getByRole('status')
      .filter({ hasText: `Đã lưu lịch “${scheduleTitle}”` })
      .waitFor();
    await editor.locator('.chip', { hasText: scheduleTitle }).waitFor();
    await shot(editor, 'journey-schedules');

    const schedules = await listAll<Body>(loa.people.editor, '/api/schedules');
    const created = schedules.find((schedule) => schedule.title === scheduleTitle)!;
    expect(created).toMatchObject({ startsAt: at.toISOString(), targets: { villageIds: [loa.places.village.id] }, priority: 'normal' });
    scheduleId = created.id as string;
    // Tests run with PLANNER=false: this is the tick the planner would make.
    await loa.app.get(PlaybackPlanner).planOnce({ communeIds: [loa.places.commune.id] });
  });

  it('the emulated speaker plays it and the dashboard shows it played, without a reload', async () => {
    const slot = dashboard.locator('li.slot', { hasText: scheduleTitle });
    // Waiting for its instant: `queued`, or `dispatching` once the worker staged it (10 s ahead).
    await slot.locator('li.slot-speaker:is([data-status="queued"], [data-status="dispatching"])', { hasText: speakerName }).waitFor();
    await slot.locator('li.slot-speaker[data-status="played"]', { hasText: speakerName }).waitFor({ timeout: 150_000 });
    expect(await sameDocument(dashboard)).toBe(true);
    expect(device.playbacks).toHaveLength(1);
    expect(await slot.locator('.slot-tally').textContent()).toContain('1/1 cụm loa đã phát');
    await shot(dashboard, 'journey-dashboard-played');
  }, 180_000);

  it('the operator confirms it on a 360 × 740 phone with the keyboard alone, then reports a problem the dashboard shows', async () => {
    const phone = await people.open(PHONE);
    await signIn(phone, loa.people.operator);
    await phone.getByRole('heading', { name: 'Thôn của tôi', level: 1 }).waitFor();
    const broadcast = phone.locator('li.broadcast[data-status="played"]', { hasText: speakerName });
    await broadcast.waitFor();
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'journey-operator-before');

    await tabTo(phone, 'Đã nghe');
    await phone.keyboard.press('Enter');
    await broadcast.getByText('Bạn đã xác nhận đã nghe lúc').waitFor();
    expect(await broadcast.getByRole('button', { name: 'Đã nghe', exact: true }).count()).toBe(0);
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone, 'journey-operator-confirmed');

    const [playback] = (await call<{ items: Body[] }>(loa.people.operator, 'GET', `/api/playbacks?scheduleId=${scheduleId}`)).body.items;
    expect(playback.confirmedAt).toEqual(expect.any(String));
    expect(playback.confirmedBy).toBe(loa.people.operator.user.id);
    // The dashboard hears of the confirmation too.
    await dashboard.locator('li.slot-speaker', { hasText: speakerName }).getByText('Thôn xác nhận đã nghe lúc').waitFor();

    // Heard, but crackling: the operator reports it, and the office sees it on the dashboard.
    await broadcast.getByRole('button', { name: 'Báo sự cố' }).click();
    await broadcast.getByLabel('Lý do').selectOption('speaker_broken');
    await broadcast.getByLabel('Ghi chú (không bắt buộc)').fill('Loa kêu rè ở đoạn cuối');
    await broadcast.getByRole('button', { name: 'Gửi báo sự cố' }).click();
    await broadcast.getByText('Đã báo sự cố: Loa hỏng.').waitFor();
    await shot(phone, 'journey-operator-problem');
    const problem = dashboard.locator('li.problem-row', { hasText: speakerName });
    await problem.getByText('Loa kêu rè ở đoạn cuối').waitFor();
    expect(await problem.textContent()).toContain('Loa hỏng');
    expect(await sameDocument(dashboard)).toBe(true);
  });

  it('an operator of another village does not see it', async () => {
    const phone = await people.open(PHONE);
    await signIn(phone, loa.people.otherOperator);
    await phone.getByRole('heading', { name: 'Thôn của tôi', level: 1 }).waitFor();
    await phone.getByText('Hôm nay thôn của bạn không có buổi phát nào.').waitFor();
    expect(await phone.locator('li.broadcast').count()).toBe(0);
    expect(await phone.content()).not.toContain(speakerName);
    await shot(phone, 'journey-other-operator');
  });

  it("the approver downloads the month's report as XLSX, and it parses", async () => {
    const page = await people.open(DESKTOP, { acceptDownloads: true });
    await signIn(page, loa.people.approver);
    await page.getByRole('link', { name: 'Báo cáo' }).click();
    await page.locator('table tr', { hasText: speakerName }).waitFor();
    await page.locator('figure.chart', { hasText: 'Số phút phát theo thôn' }).locator('svg').waitFor();
    await shot(page, 'journey-report');
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Báo cáo tổng hợp (XLSX)' }).click()]);
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    const path = join(workDir, file.suggestedFilename());
    await file.saveAs(path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(expect.arrayContaining(['Tổng hợp', 'Nhật ký phát']));
    const log: string[] = [];
    workbook.getWorksheet('Nhật ký phát')!.eachRow((row) => log.push(JSON.stringify(row.values)));
    expect(log.some((line) => line.includes(speakerName))).toBe(true);
  });
});
