import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegAdapter } from '../../src/media/ffmpeg.adapter';
import { DriverError } from '../../src/speakers/drivers/driver-error';
import { HttpGatewayDriver } from '../../src/speakers/drivers/http-gateway/http-gateway.driver';
import { HttpGatewaySecrets, HttpGatewaySettings } from '../../src/speakers/drivers/http-gateway/http-gateway.config';
import { DriverLimits, DriverTarget, PlaybackAudio, PlaybackRequest, ProgramItem } from '../../src/speakers/drivers/speaker-driver';
import { HttpGateway, HttpGatewayOptions } from '../devices/http-gateway';
import { SilentListener } from '../devices/silent-listener';
import { BulletinAudio, bulletinAudio, quietFfmpeg, timed, until } from './support/driver-audio';
import { LoaStub } from './support/loa-stub';

const TIME_SCALE = 0.05;
const KEY = 'gateway-key-for-thon-3-0123456789abcdef';
const LIMITS: DriverLimits = { connectTimeoutMs: 1_000, responseTimeoutMs: 600, maxResponseBytes: 64 * 1024, allowLoopback: true };
/** Slack for timers and a loaded CI machine on top of a configured timeout. */
const MARGIN_MS = 800;
const RANGE_CHUNK_BYTES = 16 * 1024;

describe('http-gateway driver against a gateway modelled from docs/gateway.md, with a stub playing Loa', () => {
  let dir: string;
  let ffmpeg: FfmpegAdapter;
  let short: BulletinAudio;
  let long: BulletinAudio;
  let loa: LoaStub;
  const gateways: HttpGateway[] = [];
  const driver = new HttpGatewayDriver({ ...LIMITS, deviceTimeScale: TIME_SCALE });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loa-gateway-'));
    ffmpeg = quietFfmpeg(dir);
    short = await bulletinAudio(ffmpeg, dir, 'short', 3, 21);
    long = await bulletinAudio(ffmpeg, dir, 'long', 20, 22);
  });

  beforeEach(async () => {
    loa = new LoaStub(KEY);
    await loa.start();
  });

  afterEach(async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
    await loa.close();
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function gatewayModel(options: Partial<HttpGatewayOptions> = {}): Promise<HttpGateway> {
    const gateway = await HttpGateway.start({ key: KEY, eventsUrl: loa.eventsUrl, timeScale: TIME_SCALE, rangeBytes: RANGE_CHUNK_BYTES, ...options });
    gateways.push(gateway);
    return gateway;
  }

  function target(gateway: { url: string }, key = KEY): DriverTarget<HttpGatewaySettings, HttpGatewaySecrets> {
    return { settings: { url: gateway.url }, secrets: { key } };
  }

  function item(bulletinId: string, audio: BulletinAudio, overrides: Partial<PlaybackAudio> = {}): ProgramItem {
    return {
      bulletinId,
      audio: {
        path: audio.rendition,
        sha256: audio.sha256,
        durationMs: Math.round(audio.durationSeconds * 1000),
        url: loa.mediaUrl(randomUUID(), audio.rendition),
        ...overrides,
      },
    };
  }

  function request(audio: BulletinAudio, overrides: Partial<PlaybackAudio> = {}): PlaybackRequest {
    return { playbackId: randomUUID(), priority: 'emergency', program: [item('b-1', audio, overrides)], signal: new AbortController().signal };
  }

  async function failure(work: Promise<unknown>): Promise<DriverError> {
    const error = await work.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DriverError);
    return error as DriverError;
  }

  it('plays a bulletin: acknowledged at once, then signed started and finished events that Loa believes', async () => {
    const gateway = await gatewayModel();
    const playback = request(short);
    const [{ evidence }] = await driver.play(target(gateway), playback);
    expect(evidence).toMatchObject({ level: 'acknowledged', device: { status: 202 } });
    expect(evidence.acknowledgedAt!.getTime()).toBeGreaterThanOrEqual(evidence.commandedAt.getTime());

    await until(() => loa.events(playback.playbackId).length === 2, 10_000, 'started and finished');
    const [started, finished] = loa.events(playback.playbackId);
    expect([started.event, finished.event]).toEqual(['started', 'finished']);
    expect(Date.parse(finished.at) - Date.parse(started.at)).toBeGreaterThanOrEqual(short.durationSeconds * 1000 * TIME_SCALE * 0.9);
    expect(loa.received.every(({ verdict }) => verdict.ok)).toBe(true);
    await gateway.settled();
    expect(gateway.events.map((posted) => posted.status)).toEqual([204, 204]);

    const [played] = gateway.playbacks;
    expect(played).toMatchObject({ playbackId: playback.playbackId, priority: 'emergency', outcome: 'played', reason: null });
    expect(Math.abs(played.audioMs! - short.durationSeconds * 1000)).toBeLessThan(100);
    // The gateway fetched the audio in ranges, as Loa's media URL allows.
    expect(loa.media.length).toBeGreaterThan(1);
    expect(loa.media.every((media) => media.status === 206 && media.range?.startsWith('bytes='))).toBe(true);
  });

  it('commands a program item by item, each when the one before should have ended, and the gateway plays them all', async () => {
    const gateway = await gatewayModel();
    const playback: PlaybackRequest = { ...request(short), program: [item('chime', short), item('b-1', long)] };
    const items = await driver.play(target(gateway), playback);
    expect(items.map(({ bulletinId, evidence }) => [bulletinId, evidence.level])).toEqual([
      ['chime', 'acknowledged'],
      ['b-1', 'acknowledged'],
    ]);
    // The bulletin was commanded no earlier than the chime's end: a gateway playing one thing at a time is never sent two.
    expect(items[1].evidence.commandedAt.getTime() - items[0].evidence.acknowledgedAt!.getTime()).toBeGreaterThanOrEqual(
      short.durationSeconds * 1000 * TIME_SCALE - 5,
    );
    await until(() => gateway.playbacks.length === 2 && gateway.playbacks.every((played) => played.outcome === 'played'), 10_000, 'both items played');
    await gateway.settled();
    expect(loa.events(playback.playbackId).map((event) => event.event)).toEqual(['started', 'finished', 'started', 'finished']);
  });

  it('refuses a replayed event, byte for byte, after believing it once', async () => {
    const gateway = await gatewayModel();
    const playback = request(short);
    await driver.play(target(gateway), playback);
    await until(() => loa.events(playback.playbackId).length === 2, 10_000, 'started and finished');
    expect(await loa.replay(loa.received[0])).toBe(409);
    expect(loa.received.at(-1)!.verdict).toEqual({ ok: false, reason: 'replayed' });
  });

  it('reports a failed playback when the audio is not what Loa signed', async () => {
    const gateway = await gatewayModel();
    const playback = request(short, { sha256: 'f'.repeat(64) });
    expect((await driver.play(target(gateway), playback))[0].evidence.level).toBe('acknowledged');
    await until(() => loa.events(playback.playbackId).length === 1, 10_000, 'the failed event');
    expect(loa.events(playback.playbackId)[0]).toMatchObject({ event: 'failed', reason: expect.stringMatching(/SHA-256/) });
  });

  it('is busy while playing, and free again after', async () => {
    const gateway = await gatewayModel();
    const first = request(long);
    await driver.play(target(gateway), first);
    const error = await failure(driver.play(target(gateway), request(short)));
    expect(error.kind).toBe('busy');
    expect(error.evidence).toBeUndefined();
    await until(() => loa.events(first.playbackId).some((event) => event.event === 'finished'), 10_000, 'the first to finish');
    expect((await driver.play(target(gateway), request(short)))[0].evidence.level).toBe('acknowledged');
  });

  it('stops a playback on the gateway, which reports it failed', async () => {
    const gateway = await gatewayModel();
    const playback = request(long);
    await driver.play(target(gateway), playback);
    await until(() => loa.events(playback.playbackId).length === 1, 10_000, 'the started event');
    expect(await driver.stop(target(gateway), playback.playbackId)).toBe(true);
    await until(() => loa.events(playback.playbackId).length === 2, 5_000, 'the failed event');
    expect(loa.events(playback.playbackId)[1]).toMatchObject({ event: 'failed', reason: 'stopped by Loa' });
    expect(gateway.playbacks[0]).toMatchObject({ outcome: 'stopped', reason: 'stopped by Loa' });
    expect(await driver.stop(target(gateway), playback.playbackId)).toBe(false);
  });

  it('checks health with a signed GET', async () => {
    const gateway = await gatewayModel();
    expect(await driver.checkHealth(target(gateway))).toEqual({ ok: true, latencyMs: expect.any(Number), detail: 'gateway ready' });
    expect(gateway.requests).toEqual([{ method: 'GET', path: '/health', authorized: true, status: 200 }]);
  });

  it('refuses to play without a signed audio URL for the gateway to fetch', async () => {
    const gateway = await gatewayModel();
    await expect(driver.play(target(gateway), request(short, { url: undefined }))).rejects.toThrow(/needs request.audio.url/);
    expect(gateway.requests).toHaveLength(0);
  });

  it('calls a signature under another key an auth error', async () => {
    const gateway = await gatewayModel();
    expect(await failure(driver.play(target(gateway, 'another-key-0123456789-0123456789-xyz'), request(short)))).toMatchObject({ kind: 'auth' });
    expect(await driver.checkHealth(target(gateway, 'another-key-0123456789-0123456789-xyz'))).toMatchObject({ ok: false, errorKind: 'auth' });
    expect(gateway.playbacks).toHaveLength(0);
  });

  describe('awkward gateways', () => {
    it('acknowledges only once it fetched and checked the audio: a wrong SHA-256 is refused in the answer, with no event', async () => {
      const gateway = await gatewayModel({ answer: { kind: 'after-fetch' } });
      const good = request(short);
      const [{ evidence }] = await driver.play(target(gateway), good);
      // The gateway held the whole audio when it answered.
      expect(evidence).toMatchObject({ level: 'acknowledged', device: { status: 200 } });
      expect(loa.media.length).toBeGreaterThan(1);
      await until(() => loa.events(good.playbackId).length === 2, 10_000, 'started and finished');

      const bad = request(short, { sha256: 'f'.repeat(64) });
      const error = await failure(driver.play(target(gateway), bad));
      expect(error).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/did not accept the playback: the audio does not match the SHA-256/) });
      await gateway.settled();
      expect(loa.events(bad.playbackId)).toEqual([]);
      expect(gateway.playbacks.map((played) => played.outcome)).toEqual(['played', 'failed']);
    });

    it('sends its events late: the acknowledgement comes first, the events later with the instants they happened', async () => {
      const lateMs = 1_500;
      const gateway = await gatewayModel({ events: { kind: 'late', delayMs: lateMs } });
      const playback = request(short);
      await driver.play(target(gateway), playback);
      const acknowledged = Date.now();
      await until(() => loa.events(playback.playbackId).length === 2, 15_000, 'the late events');
      const arrived = Date.now();
      const [started, finished] = loa.events(playback.playbackId);
      expect([started.event, finished.event]).toEqual(['started', 'finished']);
      expect(arrived - acknowledged).toBeGreaterThanOrEqual(lateMs);
      // `at` says when it happened on the gateway, not when it reached Loa.
      expect(Date.parse(started.at)).toBeLessThan(arrived - lateMs);
      expect(loa.received.every(({ verdict }) => verdict.ok)).toBe(true);
    });

    it('sends each event twice: Loa believes the first and refuses the copy as a replay', async () => {
      const gateway = await gatewayModel({ events: { kind: 'duplicated' } });
      const playback = request(short);
      await driver.play(target(gateway), playback);
      await until(() => gateway.playbacks[0]?.outcome === 'played', 10_000, 'the playback to end');
      await gateway.settled();
      expect(gateway.events.map((posted) => [posted.body.event, posted.status])).toEqual([
        ['started', 204],
        ['started', 409],
        ['finished', 204],
        ['finished', 409],
      ]);
      expect(loa.events(playback.playbackId).map((event) => event.event)).toEqual(['started', 'finished']);
    });

    it('sends its events out of order: Loa keeps both as they arrive, and their instants tell the true order', async () => {
      const gateway = await gatewayModel({ events: { kind: 'out-of-order' } });
      const playback = request(short);
      await driver.play(target(gateway), playback);
      await until(() => loa.events(playback.playbackId).length === 2, 10_000, 'both events');
      const [first, second] = loa.events(playback.playbackId);
      expect([first.event, second.event]).toEqual(['finished', 'started']);
      expect(Date.parse(second.at)).toBeLessThan(Date.parse(first.at));
    });
  });

  describe('fault modes', () => {
    it('a gateway that never accepts a connection (full backlog): unreachable, within the connect timeout', async () => {
      const listener = await SilentListener.start();
      try {
        const play = await timed(() => driver.play(target(listener), request(short)));
        expect(play.error).toMatchObject({ kind: 'unreachable' });
        expect((play.error as DriverError).evidence).toBeUndefined();
        expect(play.ms).toBeLessThan(LIMITS.connectTimeoutMs + MARGIN_MS);
        expect(await driver.checkHealth(target(listener))).toMatchObject({ ok: false, errorKind: 'unreachable' });
      } finally {
        await listener.close();
      }
    });

    it('slow answers: a timeout, within the response timeout, and the command counts as sent', async () => {
      const gateway = await gatewayModel({ answer: { kind: 'slow', delayMs: 3_000 } });
      const play = await timed(() => driver.play(target(gateway), request(short)));
      expect(play.error).toMatchObject({ kind: 'timeout', evidence: [{ bulletinId: 'b-1', evidence: { level: 'commanded' } }] });
      expect(play.ms).toBeLessThan(LIMITS.responseTimeoutMs + MARGIN_MS);
    });

    it('garbage: a web page is a protocol error, not an acknowledgement', async () => {
      const gateway = await gatewayModel({ answer: { kind: 'garbage' } });
      const error = await failure(driver.play(target(gateway), request(short)));
      expect(error.kind).toBe('protocol');
      expect(error.message).toMatch(/not a JSON object/);
      expect(await driver.checkHealth(target(gateway))).toMatchObject({ ok: false, errorKind: 'protocol' });
    });

    it('never answers: a timeout, within the response timeout', async () => {
      const gateway = await gatewayModel({ answer: { kind: 'never' } });
      const health = await timed(() => driver.checkHealth(target(gateway)));
      expect(health.value).toMatchObject({ ok: false, errorKind: 'timeout' });
      expect(health.ms).toBeLessThan(LIMITS.responseTimeoutMs + MARGIN_MS);
    });

    it('drop: a connection closed without an answer is a protocol error', async () => {
      const gateway = await gatewayModel({ answer: { kind: 'drop' } });
      const error = await failure(driver.play(target(gateway), request(short)));
      expect(error.kind).toBe('protocol');
      expect(error.message).toMatch(/closed the connection without answering/);
      expect(gateway.requests).toEqual([{ method: 'POST', path: '/', authorized: true, status: null }]);
      expect(gateway.playbacks).toEqual([]);
    });
  });
});
