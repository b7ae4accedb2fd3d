import { DEMO_ACCOUNTS } from '../src/demo/demo-commune';
import { DemoSeeder } from '../src/demo/demo-seeder';
import { SAMPLE_BULLETINS } from '../src/demo/sample-bulletins';
import { call } from './support/api';
import { waitUntilProcessed } from './support/bulletin-client';
import { login, Session } from './support/people';
import { startTestApp, TestApp } from './support/test-app';

/** `npm run demo` prints these logins: they must work, and the commune must be filled as promised. */
describe('The demo commune', () => {
  let loa: TestApp;

  beforeAll(async () => {
    loa = await startTestApp();
    await new DemoSeeder(loa.app, loa.url).seed();
  });

  afterAll(async () => {
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

  it('can be run again without duplicating anything', async () => {
    await new DemoSeeder(loa.app, loa.url).seed();
    const { body } = await call<{ total: number }>(loa.people.admin, 'GET', '/api/bulletins?q=Việt An');
    expect(body.total).toBe(1);
  });
});
