import { randomUUID } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { BulletinStatus } from '../../src/bulletins/bulletin-status';
import { Bulletin } from '../../src/bulletins/bulletin.entity';
import { Topic } from '../../src/topics/topic.entity';
import { call, listAll } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';
import { DESKTOP, launchChromium, People, prepareConsole, shot, signIn } from './browser-support';

type Body = Record<string, any>;

/**
 * Lịch phát as an official uses it every day: times typed as said ("6h, 17h30"), a week that starts when the
 * schedule does, a one-off that has aired shown as done, a schedule edited in place, and a half-filled form that
 * asks before it is left.
 */
describe('web console: schedules as people say them', () => {
  let loa: TestApp;
  let browser: Browser;
  let people: People;
  let page: Page;
  const bulletinTitle = 'Bản tin thời sự xã';

  beforeAll(async () => {
    await prepareConsole();
    [loa, browser] = await Promise.all([startTestApp(), launchChromium()]);
    people = new People(browser, loa.url);
    // Scheduling needs only the rendition's length, not real audio.
    const topicId = (await loa.dataSource.getRepository(Topic).findOneByOrFail({ name: 'Khác' })).id;
    const bulletins = loa.dataSource.getRepository(Bulletin);
    const sha = randomUUID().replace(/-/g, '').padEnd(64, '0');
    await bulletins.save(
      bulletins.create({
        title: bulletinTitle,
        communeId: loa.places.commune.id,
        topicId,
        status: BulletinStatus.Approved,
        originalSha256: sha,
        originalFilename: 'x.mp3',
        originalBytes: 1,
        originalFormat: 'mp3',
        originalCodec: 'mp3',
        originalDurationMs: 3 * 60_000,
        originalSampleRate: 44100,
        originalChannels: 1,
        originalPeakDbfs: -3,
        renditionSha256: sha,
        durationMs: 3 * 60_000,
      }),
    );
    page = await people.open(DESKTOP);
    await signIn(page, loa.people.editor);
    await page.getByRole('link', { name: 'Lịch phát' }).click();
  }, 120_000);

  afterAll(async () => {
    await people?.close();
    await browser?.close();
    await loa?.close();
  });

  const schedules = () => listAll<Body>(loa.people.editor, '/api/schedules');
  const row = (title: string) => page.locator('li.schedule', { hasText: title });

  it('saves "6h, 17h30" as one daily schedule at 06:00 and 17:30, and the week shows nothing before it was created', async () => {
    const title = `Bản tin sáng chiều ${randomUUID().slice(0, 4)}`;
    await page.getByLabel('Tên lịch phát').fill(title);
    await page.getByLabel(`${bulletinTitle} (`).check();
    await page.getByLabel('Giờ phát').fill('6h, 17h30');
    await page.getByLabel(`${loa.places.village.name} (`).check();
    await page.getByRole('button', { name: 'Kiểm tra và lưu lịch' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Đã lưu lịch “${title}”` })
      .waitFor();
    const saved = (await schedules()).find((schedule) => schedule.title === title)!;
    expect(saved.rrule).toContain('RRULE:FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0,30;BYSECOND=0;BYSETPOS=1,4');
    await row(title).getByText('Hằng ngày 06:00, 17:30').waitFor();

    // Every chip of this schedule in the week is at 06:00 or 17:30, none on a day before today, none earlier today than its creation.
    await page.locator('ol.week li.chip', { hasText: title }).first().waitFor();
    // Evaluated in the page; a string because this project's TypeScript has no DOM library.
    const weekDays = async () =>
      (await page.evaluate(`[...document.querySelectorAll('ol.week li.week-day')].map((day) => ({
        today: day.classList.contains('today'),
        times: [...day.querySelectorAll('li.chip')].filter((chip) => chip.textContent.includes(${JSON.stringify(title)})).map((chip) => chip.querySelector('strong').textContent),
      }))`)) as { today: boolean; times: string[] }[];
    const days = await weekDays();
    const todayIndex = days.findIndex((day) => day.today);
    expect(todayIndex).toBeGreaterThanOrEqual(0);
    expect(days.slice(0, todayIndex).flatMap((day) => day.times)).toEqual([]);
    const createdClock = new Intl.DateTimeFormat('en-GB', { timeZone: loa.places.commune.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      new Date(saved.createdAt),
    );
    expect(days[todayIndex].times.filter((time) => time < createdClock)).toEqual([]);
    for (const day of days.slice(todayIndex + 1)) expect(day.times).toEqual(['06:00', '17:30']);
    await shot(page, 'schedule-several-times');
    // Next week: both times on every day, and no other.
    const thisWeek = (await page.locator('#week-title').textContent())!;
    await page.getByRole('button', { name: 'Tuần sau ›' }).click();
    await page.locator('#week-title').filter({ hasNotText: thisWeek }).waitFor();
    expect((await weekDays()).map((day) => day.times)).toEqual(Array.from({ length: 7 }, () => ['06:00', '17:30']));
  }, 120_000);

  it('edits a schedule with the same form: new times and title are saved with PATCH', async () => {
    const title = (await schedules()).find((schedule) => schedule.title.startsWith('Bản tin sáng chiều'))!.title;
    await row(title).getByRole('button', { name: 'Sửa', exact: true }).click();
    const form = page.locator('form.schedule-form');
    await form.getByRole('heading', { name: `Sửa lịch “${title}”` }).waitFor();
    expect(await form.getByLabel('Tên lịch phát').inputValue()).toBe(title);
    expect(await form.getByLabel('Giờ phát').inputValue()).toBe('06:00, 17:30');
    expect(await form.getByLabel(`${bulletinTitle} (`).isChecked()).toBe(true);
    expect(await form.getByLabel(`${loa.places.village.name} (`).isChecked()).toBe(true);

    const renamed = `${title} (sửa)`;
    await form.getByLabel('Tên lịch phát').fill(renamed);
    await form.getByLabel('Giờ phát').fill('6h30, 11h, 17h30');
    await form.getByRole('button', { name: 'Kiểm tra và lưu lịch' }).click();
    await row(renamed).getByText('Hằng ngày 06:30, 11:00, 17:30').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: `Đã lưu thay đổi của lịch “${renamed}”` })
      .waitFor();
    const all = await schedules();
    const edited = all.find((schedule) => schedule.title === renamed)!;
    expect(edited.revision).toBeGreaterThan(1);
    expect(edited.rrule).toContain('BYHOUR=6,11,17;BYMINUTE=0,30;BYSECOND=0;BYSETPOS=2,3,6');
    expect(all.filter((schedule) => schedule.title.startsWith(title))).toHaveLength(1);
    // Back to the creation form.
    await page.getByRole('heading', { name: 'Tạo lịch phát' }).waitFor();
  }, 120_000);

  it('shows a one-off that has aired as “Đã phát xong”, with no pause button', async () => {
    const title = `Thông báo tiêm phòng ${randomUUID().slice(0, 4)}`;
    const created = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
      title,
      bulletinIds: [(await schedules())[0].bulletinIds[0]],
      targets: { villageIds: [loa.places.village.id] },
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(created.status).toBe(201);
    // Its hour came and went: the instant moved into the past (no API accepts a past instant).
    await loa.dataSource.query(`UPDATE schedules SET starts_at = now() - interval '2 hours' WHERE id = $1`, [created.body.id]);
    expect((await call<Body>(loa.people.editor, 'GET', `/api/schedules/${created.body.id}`)).body.finished).toBe(true);

    await page.reload();
    const done = row(title);
    await done.locator('[data-status="finished"]').waitFor();
    expect(await done.locator('[data-status="finished"]').textContent()).toBe('Đã phát xong');
    expect(await done.getByRole('button', { name: 'Tạm dừng' }).count()).toBe(0);
    expect(await done.getByRole('button', { name: 'Sửa', exact: true }).count()).toBe(0);
    await shot(page, 'schedule-one-off-aired');
  }, 120_000);

  it('asks before a half-filled form is left through the menu or by closing the page', async () => {
    await page.getByLabel('Tên lịch phát').fill('Lịch đang soạn dở');
    const dialogs: string[] = [];
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.dismiss();
    });
    await page.getByRole('link', { name: 'Bản tin', exact: true }).click();
    expect(dialogs).toEqual(['confirm']);
    expect(page.url()).toContain('#/lich-phat');
    expect(await page.getByLabel('Tên lịch phát').inputValue()).toBe('Lịch đang soạn dở');

    const closing = new Promise<string>((resolve) => page.once('dialog', (dialog) => void dialog.dismiss().then(() => resolve(dialog.type()))));
    await page.close({ runBeforeUnload: true });
    expect(await closing).toBe('beforeunload');
  }, 120_000);
});
