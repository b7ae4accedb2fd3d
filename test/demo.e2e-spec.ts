import { DEMO_ACCOUNTS, DEMO_COMMUNE, DEMO_SPEAKERS } from '../src/demo/demo-commune';
import { Emulator } from '../src/emulator/emulator';
import { DEMO_BROADCAST_DELAY_MS, DEMO_EMERGENCY_VILLAGE, DemoSeeder } from '../src/demo/demo-seeder';
import { SAMPLE_BULLETINS } from '../src/demo/sample-bulletins';
import { call, listAll } from './support/api';
import { waitUntilProcessed } from './support/bulletin-client';
import { login, Session } from './support/people';
import { startTestApp, TestApp } from './support/test-app';

/** `npm run demo` prints these logins: they must work, and the commune must be filled as promised. */
describe('The demo commune', () => {
  let loa: TestApp;
  const emulators: Emulator[] = [];
  let seeder: DemoSeeder;
  let seededAt: number;

  beforeAll(async () => {
    loa = await startTestApp();
    seeder = new DemoSeeder(loa.app, loa.url);
    emulators.push(...(await seeder.seed()));
    seededAt = Date.now();
  });

  afterAll(async () => {
    await Promise.all(emulators.map((emulator) => emulator.close()));
    await loa?.close();
  });

  it.each(DEMO_ACCOUNTS.map((account) => [account.username, account] as const))('signs in %s with the printed password and role', async (_name, account) => {
    const answer = await login(loa.url, account.username, account.password);
    expect(answer.status).toBe(200);
    expect(answer.body.user).toMatchObject({ username: account.username, role: account.role });
  });

  it('has the sample bulletins, the approved ones approved, in the demo commune only', async () => {
    const answer = await login(loa.url, 'vanhoa', DEMO_ACCOUNTS.find((account) => account.username === 'vanhoa')!.password);
    const editor = { url: loa.url, token: answer.body.accessToken as string } as Session;
    const { body } = await call<{ items: { id: string; title: string }[] }>(editor, 'GET', '/api/bulletins?pageSize=100');
    const statuses: Record<string, unknown> = {};
    for (const bulletin of body.items) statuses[bulletin.title] = (await waitUntilProcessed(editor, bulletin.id)).status;
    for (const sample of SAMPLE_BULLETINS) expect(statuses[sample.title]).toBe(sample.approve ? 'approved' : 'ready');
    expect(body.items).toHaveLength(SAMPLE_BULLETINS.length);
  });

  it('has emulated speakers in every village that answer a health check, and a wired cluster', async () => {
    const communes = await listAll<{ id: string; name: string }>(loa.people.admin, '/api/communes');
    const communeId = communes.find((commune) => commune.name === DEMO_COMMUNE.name)!.id;
    const demo = await listAll<{ id: string; driver: string }>(loa.people.admin, `/api/speakers?communeId=${communeId}`);
    expect(demo.filter((speaker) => speaker.driver === 'axis-vapix')).toHaveLength(DEMO_SPEAKERS.filter((s) => s.driver === 'axis-vapix').length);
    expect(demo.filter((speaker) => speaker.driver === 'manual')).toHaveLength(1);
    const axis = demo.find((speaker) => speaker.driver === 'axis-vapix')!;
    const check = await call<{ ok: boolean; status: string }>(loa.people.admin, 'POST', `/api/speakers/${axis.id}/check`);
    expect(check.body).toMatchObject({ ok: true, status: 'online' });
  });

  it('schedules an approved bulletin on the whole commune to air within two minutes, as the culture office', async () => {
    expect(seeder.broadcast).not.toBeNull();
    const { scheduleId, startsAt } = seeder.broadcast!;
    expect(startsAt.getTime()).toBeGreaterThan(seededAt);
    expect(startsAt.getTime()).toBeLessThanOrEqual(seededAt + DEMO_BROADCAST_DELAY_MS);
    expect(DEMO_BROADCAST_DELAY_MS).toBeLessThan(120_000);
    const { body: schedule } = await call<Record<string, any>>(loa.people.admin, 'GET', `/api/schedules/${scheduleId}`);
    const communes = await listAll<{ id: string; name: string }>(loa.people.admin, '/api/communes');
    const communeId = communes.find((commune) => commune.name === DEMO_COMMUNE.name)!.id;
    expect(schedule).toMatchObject({
      status: 'active',
      rrule: null,
      startsAt: startsAt.toISOString(),
      targets: { communeIds: [communeId], villageIds: [], speakerIds: [] },
    });
    const { body: author } = await call<Record<string, any>>(loa.people.admin, 'GET', `/api/users/${schedule.createdBy}`);
    expect(author.username).toBe('vanhoa');
    const { body: bulletin } = await call<Record<string, any>>(loa.people.admin, 'GET', `/api/bulletins/${schedule.bulletinIds[0]}`);
    expect(bulletin.status).toBe('approved');
  });

  it('sends its emergency to the river-side village only, as an emergency broadcast that plays at once', async () => {
    const scheduleId = await seeder.sendEmergency();
    const { body: schedule } = await call<Record<string, any>>(loa.people.admin, 'GET', `/api/schedules/${scheduleId}`);
    expect(schedule).toMatchObject({ priority: 'emergency', targets: { villageIds: [seeder.emergency!.villageId] }, bulletinIds: [seeder.emergency!.bulletinId] });
    const { items: playbacks } = (
      await call<{ items: Array<{ villageId: string; priority: string }> }>(loa.people.admin, 'GET', `/api/playbacks?scheduleId=${scheduleId}`)
    ).body;
    // Planned in the request: the village's two emulated speakers, nothing elsewhere.
    expect(playbacks).toHaveLength(DEMO_SPEAKERS.filter((speaker) => speaker.village === DEMO_EMERGENCY_VILLAGE).length);
    expect(new Set(playbacks.map((playback) => playback.villageId))).toEqual(new Set([seeder.emergency!.villageId]));
    expect(await call(loa.people.admin, 'POST', `/api/broadcasts/${scheduleId}/stop`)).toMatchObject({ status: 200 });
  });

  it('can be run again without duplicating anything, re-pointing the speakers at the new emulators', async () => {
    const second = await new DemoSeeder(loa.app, loa.url).seed();
    emulators.push(...second);
    const { body } = await call<{ total: number }>(loa.people.admin, 'GET', '/api/bulletins?q=Việt An');
    expect(body.total).toBe(1);
    const speakers = await listAll<{ settings: { url?: string } }>(loa.people.admin, '/api/speakers?tag=ven sông');
    expect(speakers).toHaveLength(1);
    const riverside = DEMO_SPEAKERS.filter((s) => s.driver === 'axis-vapix').findIndex((s) => s.tags.includes('ven sông'));
    expect(speakers[0].settings.url).toBe(second[riverside].url);
  });
});
