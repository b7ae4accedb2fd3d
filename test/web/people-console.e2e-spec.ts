import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { Speaker } from '../../src/speakers/speaker.entity';
import { call } from '../support/api';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { uploadApproved } from '../support/bulletin-client';
import { Session } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';
import { DESKTOP, launchChromium, localDayIn, menuOf, People, prepareConsole, shot, signIn } from './browser-support';

type Body = Record<string, any>;
/** A phone as wide as the commune's common ones. */
const PHONE_390 = { width: 390, height: 844 };

/**
 * Every control a finger can reach on the page (visible, not hidden), with its height, as the browser lays it out.
 * A string, evaluated in the page: this project's TypeScript has no DOM library.
 */
const TAP_TARGETS = `[...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])')]
  .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
  .map((e) => ({ what: e.tagName + ' ' + (e.getAttribute('aria-label') || e.textContent || e.getAttribute('name') || '').trim().slice(0, 40), height: e.getBoundingClientRect().height }))`;

/** Admins help themselves (password reset, lock with a confirmation, an audit log in words); operators on a phone. */
describe('web console: people and the operator’s day', () => {
  let loa: TestApp;
  let browser: Browser;
  let people: People;
  let workDir: string;

  beforeAll(async () => {
    await prepareConsole();
    workDir = await mkdtemp(join(tmpdir(), 'loa-web-people-'));
    [loa, browser] = await Promise.all([startTestApp(), launchChromium()]);
    people = new People(browser, loa.url);
    expect((await call(loa.people.admin, 'PATCH', `/api/users/${loa.people.admin.user.id}`, { displayName: 'Quản trị hệ thống' })).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await people?.close();
    await browser?.close();
    await loa?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  async function newViewer(): Promise<Body> {
    const username = `antay-${randomUUID().slice(0, 6)}`;
    const created = await call<Body>(loa.people.admin, 'POST', '/api/users', {
      username,
      displayName: 'An Tây',
      role: 'viewer',
      password: `Ban-dau-${randomUUID()}`,
      communeIds: [loa.places.commune.id],
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  async function usersScreen(): Promise<Page> {
    const page = await people.open(DESKTOP);
    await signIn(page, loa.people.admin);
    await page.getByRole('link', { name: 'Người dùng' }).click();
    return page;
  }

  it('the admin resets a password in the console, and the person signs in with it', async () => {
    const viewer = await newViewer();
    const page = await usersScreen();
    const row = page.locator(`tr[data-user="${viewer.username}"]`);
    await row.getByRole('button', { name: 'Đặt lại mật khẩu' }).click();
    const password = `Mat-khau-moi-${randomUUID().slice(0, 8)}`;
    await row.getByLabel(`Mật khẩu mới cho ${viewer.username}`).fill(password);
    await row.getByRole('button', { name: 'Lưu mật khẩu mới' }).click();
    const done = page.getByRole('status').filter({ hasText: `Đã đặt lại mật khẩu cho ${viewer.username}` });
    await done.waitFor();
    await shot(page, 'admin-password-reset');
    // The notice stays until it is dismissed.
    await done.getByRole('button', { name: 'Đóng thông báo' }).click();
    expect(await done.count()).toBe(0);

    const theirs = await people.open(DESKTOP);
    // Signing in waits for the main menu, which only a signed-in person gets.
    await signIn(theirs, { url: loa.url, token: '', user: viewer, password } as unknown as Session);
    expect(await menuOf(theirs)).toContain('Báo cáo');
  });

  it('locking asks first; the audit log then says in words, by name, who locked whom', async () => {
    const viewer = await newViewer();
    const page = await usersScreen();
    const row = page.locator(`tr[data-user="${viewer.username}"]`);
    await row.getByRole('button', { name: 'Khóa', exact: true }).click();
    const confirm = row.getByRole('group', { name: `Xác nhận khóa tài khoản ${viewer.username}` });
    await confirm.waitFor();
    // Nothing is locked until the admin says so a second time.
    expect((await call<Body>(loa.people.admin, 'GET', `/api/users/${viewer.id}`)).body.disabled).toBe(false);
    await confirm.getByRole('button', { name: 'Thôi' }).click();
    expect(await confirm.count()).toBe(0);
    expect((await call<Body>(loa.people.admin, 'GET', `/api/users/${viewer.id}`)).body.disabled).toBe(false);

    await row.getByRole('button', { name: 'Khóa', exact: true }).click();
    await confirm.getByRole('button', { name: 'Khóa tài khoản' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Đã khóa tài khoản ${viewer.username}.` })
      .waitFor();
    await row.locator('.badge', { hasText: 'Đã khóa' }).waitFor();
    expect((await call<Body>(loa.people.admin, 'GET', `/api/users/${viewer.id}`)).body.disabled).toBe(true);
    await row.getByRole('button', { name: 'Mở khóa' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Đã mở khóa tài khoản ${viewer.username}.` })
      .waitFor();

    await page.getByRole('link', { name: 'Nhật ký hệ thống' }).click();
    await page.getByLabel('Người liên quan').selectOption(viewer.id as string);
    await page.getByLabel('Việc').selectOption('/api/users');
    await page.getByRole('button', { name: 'Lọc' }).click();
    const words = page.locator('tbody .audit-words');
    await words.filter({ hasText: `Quản trị hệ thống đã khóa tài khoản ${viewer.username}` }).waitFor();
    expect(await words.allTextContents()).toEqual([
      `Quản trị hệ thống đã mở khóa tài khoản ${viewer.username}`,
      `Quản trị hệ thống đã khóa tài khoản ${viewer.username}`,
      `Quản trị hệ thống đã tạo tài khoản ${viewer.username}`,
    ]);
    expect(await page.locator('tbody').textContent()).not.toContain(viewer.id);
    await shot(page, 'admin-audit-words');
  });

  describe('the operator on a 390 px phone', () => {
    let wired: Speaker;
    let ip: Speaker;
    let heard: string;
    let silent: string;

    beforeAll(async () => {
      const file = await makeAudio(workDir, 'ban-tin.mp3', { source: speechLike(2, 390), output: ['-c:a', 'libmp3lame', '-b:a', '64k'] });
      const bulletinId = await uploadApproved(loa.people.editor, loa.people.approver, file, 'Tin phòng chống lũ');
      const speakers = loa.dataSource.getRepository(Speaker);
      const speaker = (name: string, driver: 'manual' | 'axis-vapix', settings: Body) =>
        speakers.save(speakers.create({ villageId: loa.places.village.id, name, driver, settings, secretsSealed: null }));
      wired = await speaker('Loa dây nhà văn hóa', 'manual', {});
      ip = await speaker('Loa IP cổng chợ', 'axis-vapix', { url: 'http://127.0.0.1:9' });
      // The IP cluster answered its last check; the wired one is never checked.
      await loa.dataSource.query(`UPDATE speakers SET status = 'online', last_seen_at = now() WHERE id = $1`, [ip.id]);
      // A schedule a week ahead to hang today's playbacks on, written as the dispatcher would have left them.
      const schedule = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
        title: 'Phát thử',
        bulletinIds: [bulletinId],
        targets: { speakerIds: [wired.id] },
        startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      });
      expect(schedule.status).toBe(201);
      const playback = async (speakerId: string, status: string, agoMs: number) => {
        const at = new Date(Date.now() - agoMs);
        const [row] = (await loa.dataSource.query(
          `INSERT INTO playbacks (schedule_id, speaker_id, village_id, commune_id, priority, scheduled_at, grace_until, status, started_at)
           VALUES ($1, $2, $3, $4, 'normal', $5, $5, $6, $5) RETURNING id`,
          [schedule.body.id, speakerId, loa.places.village.id, loa.places.commune.id, at, status],
        )) as [{ id: string }];
        return row.id;
      };
      heard = await playback(ip.id, 'played', 60_000);
      silent = await playback(wired.id, 'playing', 30_000);
    }, 120_000);

    async function myVillage(): Promise<Page> {
      const page = await people.open(PHONE_390);
      await signIn(page, loa.people.operator);
      await page.getByRole('heading', { name: 'Thôn của tôi', level: 1 }).waitFor();
      return page;
    }

    it('sees the date as a heading, and every control is at least 44 px tall', async () => {
      const page = await myVillage();
      const [year, month, day] = localDayIn(0).split('-');
      await page.getByRole('heading', { level: 2, name: new RegExp(`${day}/${month}/${year}`) }).waitFor();
      const card = page.locator(`li[data-playback="${silent}"]`);
      await card.getByRole('button', { name: 'Báo sự cố' }).click();
      await card.getByLabel('Lý do').waitFor();
      const targets = (await page.evaluate(TAP_TARGETS)) as { what: string; height: number }[];
      // The header's links, the menu, both cards' buttons and the open problem form are all there.
      expect(targets.length).toBeGreaterThan(8);
      expect(targets.filter((target) => target.height < 44)).toEqual([]);
      await shot(page, 'operator-390');
    });

    it('takes a "heard" back, and is not offered "heard" after reporting a power cut', async () => {
      const page = await myVillage();
      const card = page.locator(`li[data-playback="${heard}"]`);
      await card.getByRole('button', { name: 'Đã nghe', exact: true }).click();
      await card.getByText('Bạn đã xác nhận đã nghe lúc').waitFor();
      await card.getByRole('button', { name: 'Rút lại "Đã nghe"' }).click();
      await card.getByRole('button', { name: 'Đã nghe', exact: true }).waitFor();
      const row = (await call<{ items: Body[] }>(loa.people.operator, 'GET', '/api/playbacks?date=today')).body.items.find((item) => item.id === heard);
      expect(row).toMatchObject({ confirmedAt: null, confirmedBy: null });

      const silentCard = page.locator(`li[data-playback="${silent}"]`);
      expect(await silentCard.getByRole('button', { name: 'Đã nghe', exact: true }).count()).toBe(1);
      await silentCard.getByRole('button', { name: 'Báo sự cố' }).click();
      await silentCard.getByLabel('Lý do').selectOption('power_cut');
      await silentCard.getByRole('button', { name: 'Gửi báo sự cố' }).click();
      await page.locator(`li[data-playback="${silent}"]`).getByText('Đã báo sự cố: Mất điện.').waitFor();
      expect(await page.locator(`li[data-playback="${silent}"]`).getByRole('button', { name: 'Đã nghe', exact: true }).count()).toBe(0);
      await shot(page, 'operator-390-reported');
    });

    it('does not count a wired cluster as offline, on the speakers screen or the dashboard', async () => {
      const page = await myVillage();
      await page.getByRole('link', { name: 'Thiết bị' }).click();
      const group = page.locator('section.village', { has: page.getByRole('heading', { name: loa.places.village.name }) });
      await group.locator('.count', { hasText: '1/1 trực tuyến · 1 loa dây' }).waitFor();
      const wiredRow = group.locator('li.speaker', { hasText: 'Loa dây nhà văn hóa' });
      await wiredRow.locator('[data-status="wired"]').waitFor();
      expect(await wiredRow.textContent()).not.toContain('Chưa kiểm tra');

      const dashboard = await people.open(DESKTOP);
      await signIn(dashboard, loa.people.admin);
      const tile = dashboard.locator(`li.village-tile[data-village="${loa.places.village.id}"]`);
      await tile.locator('.wired', { hasText: '1 loa dây' }).waitFor();
      expect(await tile.locator('.online').textContent()).toBe('1 trực tuyến');
      expect(await tile.locator('.offline').textContent()).toBe('0 mất kết nối');
      expect(await tile.getAttribute('class')).toContain('all-online');
    });
  });
});
