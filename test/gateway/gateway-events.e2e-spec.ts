import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayEventRecord } from '../../src/gateway/gateway-event-record.entity';
import { MediaLinks } from '../../src/media-links/media-links.service';
import { SpeakerDriverRegistry } from '../../src/speakers/drivers/drivers';
import { SpeakerTargets } from '../../src/speakers/speaker-targets';
import { Speaker } from '../../src/speakers/speaker.entity';
import { gatewaySignature as signedHeaders } from '../devices/gateway-signature';
import { HttpGateway, HttpGatewayOptions } from '../devices/http-gateway';
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

/**
 * A gateway speaker end to end: Loa commands, the gateway (modelled from docs/gateway.md, sharing no code with Loa)
 * fetches by signed link and reports back signed events.
 */
describe('HTTP gateways and POST /api/gateway/events', () => {
  let loa: TestApp;
  let fixtures: string;
  let speakerId: string;
  let eventsUrl: string;
  const gateways: HttpGateway[] = [];

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
  });

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
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

  /** A gateway model in `options`' modes, now behind the speaker. */
  async function gatewayModel(options: Partial<HttpGatewayOptions> = {}): Promise<HttpGateway> {
    const gateway = await HttpGateway.start({ key: KEY, eventsUrl, timeScale: TIME_SCALE, ...options });
    gateways.push(gateway);
    expect((await call(loa.people.admin, 'PATCH', `/api/speakers/${speakerId}`, { settings: { url: gateway.url } })).status).toBe(200);
    return gateway;
  }

  /** Processed bulletin audio of `seconds`, as the dispatcher hands it to the gateway driver. */
  async function bulletinAudio(seconds: number, seed: number) {
    const file = await makeAudio(fixtures, `bulletin-${seed}.mp3`, { source: speechLike(seconds, seed), output: ['-c:a', 'libmp3lame'] });
    const uploaded = await uploadBulletin(loa.people.editor, file, { title: `Bản tin qua cổng ${seed}`, topic: await firstTopicId(loa.people.editor) });
    const bulletin = await waitUntilProcessed(loa.people.editor, uploaded.body.id as string);
    const sha256 = bulletin.renditionSha256 as string;
    const url = loa.app.get(MediaLinks).urlFor(sha256, 'mp3').replace(loa.config.publicUrl, loa.url);
    return { bulletinId: bulletin.id as string, audio: { path: '', sha256, durationMs: bulletin.durationMs as number, url } };
  }

  /** Loa's own http-gateway driver plays `item` to the speaker's gateway; answers the playback id. */
  async function playThrough(item: Awaited<ReturnType<typeof bulletinAudio>>): Promise<string> {
    const speaker = await loa.dataSource.getRepository(Speaker).findOneByOrFail({ id: speakerId });
    const { target } = loa.app.get(SpeakerTargets).resolve(speaker);
    const driver = SpeakerDriverRegistry.create({ deviceTimeScale: TIME_SCALE, limits: { allowLoopback: true } }).get('http-gateway');
    const playbackId = randomUUID();
    const [{ evidence }] = await driver.play(target, { playbackId, priority: 'normal', program: [item], signal: new AbortController().signal });
    expect(evidence.level).toBe('acknowledged');
    return playbackId;
  }

  it('plays a real bulletin through a gateway: it fetches the audio by signed link and reports started and finished', async () => {
    const gateway = await gatewayModel();
    const item = await bulletinAudio(5, 777);
    const playbackId = await playThrough(item);

    await until(async () => (await eventsOf(playbackId)).length === 2, 'started and finished');
    expect((await eventsOf(playbackId)).map((record) => record.event)).toEqual(['started', 'finished']);
    await gateway.settled();
    expect(gateway.events.map((posted) => [posted.body.event, posted.status])).toEqual([
      ['started', 202],
      ['finished', 202],
    ]);
    // The gateway played what Loa rendered, for its whole length by the gateway's own decoding.
    const [played] = gateway.playbacks;
    expect(played).toMatchObject({ playbackId, outcome: 'played' });
    expect(Math.abs(played.audioMs! - item.audio.durationMs)).toBeLessThan(150);
    const seen = await loa.dataSource.getRepository(Speaker).findOneByOrFail({ id: speakerId });
    expect(seen.lastSeenAt).not.toBeNull();
  });

  it('keeps one record of an event a gateway sends twice, answering the copy 409', async () => {
    const gateway = await gatewayModel({ events: { kind: 'duplicated' } });
    const playbackId = await playThrough(await bulletinAudio(2, 778));
    await until(async () => gateway.playbacks[0]?.outcome === 'played', 'the playback to end');
    await gateway.settled();
    expect(gateway.events.map((posted) => [posted.body.event, posted.status])).toEqual([
      ['started', 202],
      ['started', 409],
      ['finished', 202],
      ['finished', 409],
    ]);
    expect((await eventsOf(playbackId)).map((record) => record.event)).toEqual(['started', 'finished']);
  });

  it('keeps events that arrive out of order as they came, each with the instant the gateway gave', async () => {
    const gateway = await gatewayModel({ events: { kind: 'out-of-order' } });
    const playbackId = await playThrough(await bulletinAudio(2, 779));
    await until(async () => (await eventsOf(playbackId)).length === 2, 'both events');
    await gateway.settled();
    const records = await eventsOf(playbackId);
    expect(records.map((record) => record.event)).toEqual(['finished', 'started']);
    const [finished, started] = records;
    expect(started.deviceAt.getTime()).toBeLessThan(finished.deviceAt.getTime());
    expect(started.deviceAt.toISOString()).toBe(gateway.events.find((posted) => posted.body.event === 'started')!.body.at);
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
