import { Browser } from 'playwright-core';
import { AirtimeLedger } from '../../src/airtime/airtime-ledger';
import { Role } from '../../src/auth/role';
import { call } from '../support/api';
import { createSession } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';
import { launchChromium, People, PHONE, prepareConsole, shot, signIn } from '../web/browser-support';
import { asSuperuserWithoutTriggers, entryIn, freshCommune } from './airtime-fixtures';

/** What the console shows of the broadcast log's alarm: the Reports screen, in a real browser. */
describe('Console: the broadcast log alarm on the Reports screen', () => {
  let loa: TestApp;
  let browser: Browser;
  let people: People;

  beforeAll(async () => {
    await prepareConsole();
    [loa, browser] = await Promise.all([startTestApp({ AIRTIME_CHECKPOINT_INTERVAL_MINUTES: '0' }), launchChromium()]);
    people = new People(browser, loa.url);
  });

  afterAll(async () => {
    await people?.close();
    await browser?.close();
    await loa?.close();
  });

  it('says the log is intact, then, once its last records were deleted and the checkpoint refused, shows the alert naming the problem', async () => {
    const place = await freshCommune(loa.dataSource);
    await loa.app.get(AirtimeLedger).append(Array.from({ length: 5 }, (_, n) => entryIn(place, { evidence: { n } })));
    const approver = await createSession(loa.app, loa.url, Role.Approver, { communeIds: [place.communeId] });
    const viewer = await createSession(loa.app, loa.url, Role.Viewer, { communeIds: [place.communeId] });
    expect((await call(approver, 'POST', '/api/airtime/checkpoints', {})).status).toBe(201);

    const page = await people.open(PHONE);
    await signIn(page, viewer);
    await page.getByRole('heading', { name: 'Báo cáo', level: 1 }).waitFor();
    await page.getByText('Nhật ký phát sóng nguyên vẹn: khớp mọi mốc đã ký.').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);

    await asSuperuserWithoutTriggers(loa.dataSource, (db) => db.query(`DELETE FROM airtime_records WHERE commune_id = $1 AND seq IN (4, 5)`, [place.communeId]));
    expect((await call(approver, 'POST', '/api/airtime/checkpoints', {})).status).toBe(409);
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'Nhật ký phát sóng không còn nguyên vẹn, báo cáo này không đáng tin' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/record 4 is missing: the checkpoint signed at .* counts 5 records, the chain holds 3/);
    await shot(page, 'airtime-alarm-phone');
  }, 120_000);
});
