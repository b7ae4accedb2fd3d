import { randomBytes, randomUUID } from 'node:crypto';
import { developmentSecretsKey } from '../../src/config/service-keys';
import { signMediaLink } from '../../src/media-links/media-link-token';
import { freePort } from '../support/free-port';
import { WorkerProcess } from '../support/worker-process';

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A signed media link is a credential: whoever holds it fetches the audio without an account. The access log keeps
 * the route of such a request, never the token. The API runs as its own process, so its log is what it writes.
 */
describe('The access log of a media link request', () => {
  let api: WorkerProcess;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    api = WorkerProcess.start({ ROLE: 'api', PORT: String(port), HOST: '127.0.0.1', QUEUE_PREFIX: `loa-test-${randomUUID().slice(0, 8)}` });
    await until(async () => (await fetch(`${url}/api/health`).catch(() => null))?.status === 200, 'the API to answer');
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('names the route but not the token', async () => {
    // Signed with the development key the test process runs with, so it is a link the API accepts as genuine.
    const token = signMediaLink({ sha256: randomBytes(32).toString('hex'), format: 'mp3', exp: Math.floor(Date.now() / 1000) + 600 }, developmentSecretsKey());
    const answer = await fetch(`${url}/api/media/${token}`);
    expect(answer.status).toBe(404);
    expect(await answer.text()).toMatch(/No audio at this link/);
    const [signature] = token.split('.').slice(-1);
    await until(async () => api.log.includes('"url":"/api/media/[Redacted]"'), 'the request in the access log', 15_000);
    const line = api.log.split('\n').find((entry) => entry.includes('"url":"/api/media/'));
    expect(line).toMatch(/"statusCode":404/);
    expect(api.log).not.toContain(token);
    expect(api.log).not.toContain(signature);
  });
});
