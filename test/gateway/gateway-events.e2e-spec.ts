import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator, startEmulator } from '../../src/emulator/emulator';
import { GatewayEventRecord } from '../../src/gateway/gateway-event-record.entity';
import { MediaLinks } from '../../src/media-links/media-links.service';
import { SpeakerDriverRegistry } from '../../src/speakers/drivers/drivers';
import { signedHeaders } from '../../src/speakers/drivers/gateway-signature';
import { SpeakerTargets } from '../../src/speakers/speaker-targets';
import { Speaker } from '../../src/speakers/speaker.entity';
import { call } from '../support/api';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { firstTopicId, uploadBulletin, waitUntilProcessed } from '../support/bulletin-client';
import { startTestApp, TestApp } from '../support/test-app';

const KEY = 'gateway-hmac-key-for-the-test-0123456789';
const TIME_SCALE = 0.1;

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A gateway speaker end to end: Loa commands, the gateway fetches by signed link and reports back signed events. */
describe('HTTP gateways and POST /api/gateway/events', () => {
  let loa: TestApp;
  let fixtures: string;
  let speakerId: string;
  let emulator: Emulator;
  let eventsUrl: string;

  beforeAll(async () => {
    loa = await startTestApp();
    fixtures = await mkdtemp(join(tmpdir(), 'loa-gateway-'));
    const created = await call<{ id: string }>(loa.people.admin, 'POST', '/api/speakers', {
      villageId: loa.places.village.id,
      name: `Cổng ${randomUUID().slice(0, 6)}`,
      driver: 'http-gateway',
      settings: { url: 'http://127.0.0.1:9' },
      secrets: { key: KEY },
    });
    speakerId = created.body.id;
    eventsUrl = `${loa.url}/api/gateway/events?speaker=${speakerId}`;
    emulator = await startEmulator({ driver: 'http-gateway', key: KEY, eventsUrl, timeScale: TIME_SCALE });
    expect((await call(loa.people.admin, 'PATCH', `/api/speakers/${speakerId}`, { settings: { url: emulator.url } })).status).toBe(200);
  });

  afterAll(async () => {
    await emulator?.close();
    await loa?.close();
    await rm(fixtures, { recursive: true, force: true });
  });

  const eventsOf = (playbackId: string) => loa.dataSource.getRepository(GatewayEventRecord).find({ where: { playbackId }, order: { id: 'ASC' } });

  /** Posts the body exactly as given, since the signature covers its bytes. */
  function post(body: string, headers: Record<string, string>, speaker = speakerId) {
    return fetch(`${loa.url}/api/gateway/events?speaker=${speaker}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });
  }

  const event = (overrides: Record<string, unknown> = {}) => ({
    playbackId: randomUUID(),
    event: 'started',
    at: new Date().toISOString(),
    nonce: randomUUID().replace(/-/g, ''),
    ...overrides,
  });

  it('plays a real bulletin through a gateway: it fetches the audio by signed link and reports started and finished', async () => {
    const file = await makeAudio(fixtures, 'bulletin.mp3', { source: speechLike(5, 777), output: ['-c:a', 'libmp3lame'] });
    const uploaded = await uploadBulletin(loa.people.editor, file, { title: 'Bản tin qua cổng', topic: await firstTopicId(loa.people.editor) });
    const bulletin = await waitUntilProcessed(loa.people.editor, uploaded.body.id as string);
    const sha256 = bulletin.renditionSha256 as string;

    const speaker = await loa.dataSource.getRepository(Speaker).findOneByOrFail({ id: speakerId });
    const { target } = loa.app.get(SpeakerTargets).resolve(speaker);
    const driver = SpeakerDriverRegistry.create({ deviceTimeScale: TIME_SCALE }).get('http-gateway');
    const playbackId = randomUUID();
    const audioUrl = loa.app.get(MediaLinks).urlFor(sha256, 'mp3').replace(loa.config.publicUrl, loa.url);
    const [{ evidence }] = await driver.play(target, {
      playbackId,
      priority: 'normal',
      program: [{ bulletinId: bulletin.id as string, audio: { path: '', sha256, durationMs: bulletin.durationMs as number, url: audioUrl } }],
      signal: new AbortController().signal,
    });
    expect(evidence.level).toBe('acknowledged');

    await until(async () => (await eventsOf(playbackId)).length === 2, 'started and finished');
    expect((await eventsOf(playbackId)).map((record) => record.event)).toEqual(['started', 'finished']);
    const seen = await loa.dataSource.getRepository(Speaker).findOneByOrFail({ id: speakerId });
    expect(seen.lastSeenAt).not.toBeNull();
  });

  it('accepts a well-signed event once, and refuses the same event replayed', async () => {
    const body = JSON.stringify(event());
    const first = await post(body, signedHeaders(KEY, body));
    expect(first.status).toBe(202);
    const replay = await post(body, signedHeaders(KEY, body));
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ message: expect.stringContaining('already received') });
  });

  it.each([
    ['a wrong key', (body: string) => signedHeaders('someone-elses-key-0123456789abcdef', body)],
    ['no signature', () => ({})],
    ['an old timestamp', (body: string) => signedHeaders(KEY, body, Date.now() - 10 * 60_000)],
  ])('refuses an event with %s (401), recording nothing', async (_name, headers) => {
    const payload = event();
    const body = JSON.stringify(payload);
    const answer = await post(body, headers(body));
    expect(answer.status).toBe(401);
    expect(await eventsOf(payload.playbackId)).toEqual([]);
  });

  it('refuses an event whose body was changed after signing', async () => {
    const signed = JSON.stringify(event());
    const changed = JSON.stringify({ ...JSON.parse(signed), event: 'finished' });
    expect((await post(changed, signedHeaders(KEY, signed))).status).toBe(401);
  });

  it('refuses events for an unknown or non-gateway speaker with the same 401', async () => {
    const body = JSON.stringify(event());
    expect((await post(body, signedHeaders(KEY, body), randomUUID())).status).toBe(401);
    expect((await post(body, signedHeaders(KEY, body), 'not-a-uuid')).status).toBe(401);
  });

  it('refuses a malformed event with 400 naming the field; a failure needs a reason', async () => {
    const body = JSON.stringify(event({ event: 'failed' }));
    const answer = await post(body, signedHeaders(KEY, body));
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { message: string }).message).toMatch(/reason/);
  });

  it('keeps the events append-only in the database', async () => {
    await expect(loa.dataSource.query('UPDATE gateway_events SET event = $$finished$$')).rejects.toThrow(/append-only/);
    await expect(loa.dataSource.query('DELETE FROM gateway_events')).rejects.toThrow(/append-only/);
  });
});
