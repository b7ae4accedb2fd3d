import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { Emulator, startEmulator } from '../../src/emulator/emulator';
import { PlaybackPlanner } from '../../src/playbacks/playback-planner';
import { call, listAll } from '../support/api';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { uploadApproved } from '../support/bulletin-client';
import { startTestApp, TestApp } from '../support/test-app';
import { DESKTOP, launchChromium, localDayIn, markDocument, People, prepareConsole, sameDocument, shot, signIn, tabTo } from './browser-support';

const AXIS_PASSWORD = 'Loa-Axis-Mật-khẩu-2026';

type Body = Record<string, any>;

/**
 * An emergency broadcast from the console: while a normal program plays on two emulated speakers (in real time),
 * the editor confirms an emergency in two steps with the keyboard; it pre-empts the program, its progress shows per
 * speaker as it goes on air, the dashboard shows the next repeat, and the editor stops it.
 */
describe('web console: an emergency broadcast pre-empts a running one', () => {
  let loa: TestApp;
  let browser: Browser;
  let people: People;
  let workDir: string;
  const devices: Emulator[] = [];
  const speakers: { id: string; name: string }[] = [];
  let longBulletin: string;
  const alertTitle = `Cảnh báo bão số 9 ${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    await prepareConsole();
    workDir = await mkdtemp(join(tmpdir(), 'loa-emergency-'));
    [loa, browser] = await Promise.all([startTestApp(), launchChromium()]);
    people = new People(browser, loa.url);
    for (const label of ['đầu thôn', 'cuối thôn']) {
      const device = await startEmulator({ driver: 'axis-vapix', password: AXIS_PASSWORD });
      devices.push(device);
      const name = `Cụm loa ${label} ${randomUUID().slice(0, 4)}`;
      const answer = await call<Body>(loa.people.admin, 'POST', '/api/speakers', {
        villageId: loa.places.village.id,
        name,
        driver: 'axis-vapix',
        settings: { url: device.url },
        secrets: { username: 'root', password: AXIS_PASSWORD },
      });
      expect(answer.status).toBe(201);
      speakers.push({ id: answer.body.id as string, name });
    }
    longBulletin = await approvedBulletin('chuong-trinh-dai.mp3', 40, 'Chương trình thời sự');
    await approvedBulletin('canh-bao-bao.mp3', 4, alertTitle);
  }, 180_000);

  afterAll(async () => {
    await people?.close();
    await browser?.close();
    await Promise.all(devices.map((device) => device.close()));
    await loa?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  async function approvedBulletin(name: string, seconds: number, title: string): Promise<string> {
    const editor = loa.people.editor;
    const file = await makeAudio(workDir, name, { source: speechLike(seconds, 5150 + seconds), output: ['-c:a', 'libmp3lame', '-b:a', '64k'] });
    return uploadApproved(editor, loa.people.approver, file, title);
  }

  async function playbacksOf(scheduleId: string): Promise<Body[]> {
    return (await call<{ items: Body[] }>(loa.people.editor, 'GET', `/api/playbacks?scheduleId=${scheduleId}`)).body.items;
  }

  async function waitUntil(scheduleId: string, done: (playbacks: Body[]) => boolean): Promise<Body[]> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const playbacks = await playbacksOf(scheduleId);
      if (done(playbacks)) return playbacks;
      if (Date.now() > deadline) throw new Error(`playbacks still ${JSON.stringify(playbacks.map((p) => p.status))}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('pre-empts the program on air and shows each speaker going on air; the dashboard follows; the editor stops it', async () => {
    const dashboard = await people.open(DESKTOP);
    await signIn(dashboard, loa.people.admin);
    await dashboard.getByRole('heading', { name: 'Tổng quan', level: 1 }).waitFor();
    await dashboard.locator('.live-badge[data-state="live"]').waitFor();
    await markDocument(dashboard);

    const page: Page = await people.open(DESKTOP);
    await signIn(page, loa.people.editor);
    await page.getByRole('link', { name: 'Phát khẩn cấp' }).click();
    await page.getByRole('heading', { name: 'Phát khẩn cấp mới' }).waitFor();
    await page.getByLabel('Bản tin cần phát').selectOption({ label: alertTitle });
    await page.getByLabel(`${loa.places.village.name} (2 cụm loa)`).check();
    await page.getByLabel(/Phát lại định kỳ/).check();
    await page.getByLabel('Phát lại', { exact: true }).selectOption('60');
    await page.getByLabel('Đến ngày').fill(localDayIn(1));

    // The normal program goes on air on both speakers.
    const program = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
      title: 'Chương trình thời sự',
      bulletinIds: [longBulletin],
      targets: { speakerIds: speakers.map((speaker) => speaker.id) },
      startsAt: new Date(Date.now() + 3000).toISOString(),
      misfireGraceSeconds: 60,
    });
    expect(program.status).toBe(201);
    await loa.app.get(PlaybackPlanner).planOnce({ communeIds: [loa.places.commune.id] });
    // An Axis speaker is on air from the command until it answers: `dispatching`, or `playing` for other drivers.
    const onAir = ['dispatching', 'playing'];
    await waitUntil(program.body.id as string, (playbacks) => playbacks.length === 2 && playbacks.every((p) => onAir.includes(p.status)));
    await dashboard
      .locator('li.slot', { hasText: 'Chương trình thời sự' })
      .locator('li.slot-speaker:is([data-status="dispatching"], [data-status="playing"])')
      .nth(1)
      .waitFor();

    // Step one, then the confirmation, with the keyboard.
    await page.getByRole('button', { name: 'Tiếp tục…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Xác nhận phát khẩn cấp' });
    await confirm.getByText('trên 2 cụm loa').waitFor();
    await shot(page, 'emergency-confirm');
    await tabTo(page, 'PHÁT NGAY');
    await page.keyboard.press('Enter');

    const progress = page.locator('article.emergency-progress', { hasText: 'Phát khẩn cấp' });
    for (const speaker of speakers) await progress.locator('li.speaker-progress', { hasText: speaker.name }).waitFor();
    await shot(page, 'emergency-progress');
    // The editor opens the stop confirmation while the speakers go on air: live updates must leave it open.
    await progress.getByRole('button', { name: 'Dừng phát' }).click();
    const confirmStop = progress.getByRole('button', { name: 'Xác nhận dừng' });
    await confirmStop.waitFor();
    for (const speaker of speakers) {
      await progress.locator('li.speaker-progress[data-status="played"]', { hasText: speaker.name }).waitFor({ timeout: 60_000 });
    }
    await progress.getByText('2/2 đã phát xong').waitFor();
    await shot(page, 'emergency-played');

    const preempted = await playbacksOf(program.body.id as string);
    expect(preempted.map((p) => p.status)).toEqual(['preempted', 'preempted']);
    for (const device of devices) expect(device.playbacks.map((played) => played.outcome)).toContain('played');

    // The dashboard followed without a reload: the program cut short, the emergency's next repeat.
    const slot = dashboard.locator('li.slot', { hasText: 'Chương trình thời sự' });
    await slot.locator('li.slot-speaker[data-status="preempted"]').nth(1).waitFor();
    // An admin's dashboard lists every commune's emergencies in force (other test files leave theirs): find this one.
    const listed = await listAll<Body>(loa.people.editor, '/api/schedules');
    const emergency = listed.find((schedule) => schedule.priority === 'emergency' && schedule.status === 'active')!;
    await dashboard.locator(`[data-emergency="${emergency.id}"] .next-repeat`, { hasText: 'Lần phát lại tiếp theo' }).waitFor({ timeout: 70_000 });
    expect(await sameDocument(dashboard)).toBe(true);
    await shot(dashboard, 'emergency-dashboard');

    expect(await confirmStop.isVisible()).toBe(true);
    await confirmStop.click();
    const stoppedNotice = page.getByRole('status').filter({ hasText: 'Đã dừng' });
    await stoppedNotice.waitFor();
    await progress.waitFor({ state: 'detached' });
    // The repeats' cancellations reach both pages live; the editor's confirmation stays on screen through them.
    await dashboard.locator(`[data-emergency="${emergency.id}"]`).waitFor({ state: 'detached' });
    expect(await stoppedNotice.isVisible()).toBe(true);
    const schedules = await listAll<Body>(loa.people.editor, '/api/schedules');
    expect(schedules.find((schedule) => schedule.priority === 'emergency')).toMatchObject({ status: 'cancelled' });
  }, 240_000);
});
