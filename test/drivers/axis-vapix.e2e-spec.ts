import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTransient } from '../../src/playbacks/dispatch/transient-errors';
import { AxisVapixDriver, AxisVapixOptions, STREAM_LEAD_MS } from '../../src/speakers/drivers/axis-vapix/axis-vapix.driver';
import { AxisVapixSecrets, AxisVapixSettings } from '../../src/speakers/drivers/axis-vapix/axis-vapix.config';
import { DriverError, isPlaybackAborted } from '../../src/speakers/drivers/driver-error';
import { DriverTarget, ItemEvidence, PlaybackRequest } from '../../src/speakers/drivers/speaker-driver';
import { FfmpegAdapter } from '../../src/media/ffmpeg.adapter';
import { AxisSpeaker, AxisSpeakerOptions, Transmission } from '../devices/axis-speaker';
import { mulawMs } from '../devices/mulaw';
import { SilentListener } from '../devices/silent-listener';
import { BulletinAudio, bulletinAudio, quietFfmpeg, timed, until } from './support/driver-audio';

const TIME_SCALE = 0.05;
const LIMITS = { connectTimeoutMs: 1_000, responseTimeoutMs: 600, maxResponseBytes: 64 * 1024, allowLoopback: true };
/** A listener that never accepts and nobody listening read the same, so that the text cannot map ports. */
const UNREACHABLE = expect.stringMatching(/^127\.0\.0\.1:\d+ could not be reached: check that the device is powered, on the network and at this address$/);
const PASSWORD = 'Ph4t-thanh-xa';
/** Slack for timers and a loaded CI machine on top of a configured timeout. */
const MARGIN_MS = 800;
/** What a stop may leave on air: the stream's lead plus one chunk in flight, within the promised second. */
const CUT_WITHIN_AUDIO_MS = 1_000;

describe('axis-vapix driver against an Axis-style speaker modelled from VAPIX', () => {
  let dir: string;
  let ffmpeg: FfmpegAdapter;
  let chime: BulletinAudio;
  let bulletin: BulletinAudio;
  let short: BulletinAudio;
  const speakers: AxisSpeaker[] = [];
  let playbackSeq = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loa-axis-'));
    ffmpeg = quietFfmpeg(dir);
    // The case: a 5 s chime, then a 45 s bulletin.
    chime = await bulletinAudio(ffmpeg, dir, 'chime', 5, 21);
    bulletin = await bulletinAudio(ffmpeg, dir, 'bulletin', 45, 22);
    short = await bulletinAudio(ffmpeg, dir, 'short', 3, 23);
  });

  afterEach(async () => {
    await Promise.all(speakers.splice(0).map((speaker) => speaker.close()));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function speaker(options: AxisSpeakerOptions = {}): Promise<AxisSpeaker> {
    const device = await AxisSpeaker.start({ password: PASSWORD, timeScale: TIME_SCALE, ...options });
    speakers.push(device);
    return device;
  }

  function driver(options: Partial<AxisVapixOptions> = {}): AxisVapixDriver {
    return new AxisVapixDriver({ ...LIMITS, deviceTimeScale: TIME_SCALE, ...options });
  }

  function target(url: string, password = PASSWORD): DriverTarget<AxisVapixSettings, AxisVapixSecrets> {
    return { settings: { url }, secrets: { username: 'root', password } };
  }

  function item(bulletinId: string, audio: BulletinAudio) {
    return { bulletinId, audio: { path: audio.mulaw, sha256: audio.sha256, durationMs: Math.round(audio.durationSeconds * 1000) } };
  }

  /** The chime, then the 45 s bulletin: the program of one speaker. */
  function program(signal = new AbortController().signal): PlaybackRequest {
    return { playbackId: `pb-${++playbackSeq}`, priority: 'normal', program: [item('chime', chime), item('b-45', bulletin)], signal };
  }

  function single(audio: BulletinAudio, signal = new AbortController().signal): PlaybackRequest {
    return { playbackId: `pb-${++playbackSeq}`, priority: 'normal', program: [item('b-short', audio)], signal };
  }

  const programBytes = () => chime.mulawBytes + bulletin.mulawBytes;

  function transmitStatuses(device: AxisSpeaker): Array<[boolean, number | null]> {
    return device.requests.filter((entry) => entry.target === '/axis-cgi/audio/transmit.cgi').map((entry) => [entry.authorized, entry.status]);
  }

  async function failure(work: Promise<unknown>): Promise<DriverError> {
    const error = await work.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DriverError);
    return error as DriverError;
  }

  /** The program's items with the offsets the device's own µ-law accounting gives them. */
  function expectProgramEvidence(items: ItemEvidence[], level: string): void {
    expect(items.map(({ bulletinId, evidence }) => [bulletinId, evidence.level, evidence.offsetMs])).toEqual([
      ['chime', level, 0],
      ['b-45', level, Math.round(mulawMs(chime.mulawBytes))],
    ]);
    for (const { evidence } of items) expect(evidence.device).toMatchObject({ audioBytes: programBytes(), audioMs: Math.round(mulawMs(programBytes())) });
  }

  /** The device received the whole program, byte for byte, in one transmit: chime then bulletin, nothing between. */
  async function expectWholeProgram(received: Transmission): Promise<void> {
    const sent = Buffer.concat([await readFile(chime.mulaw), await readFile(bulletin.mulaw)]);
    expect(received.bytes).toBe(sent.length);
    expect(received.audio.equals(sent)).toBe(true);
    expect(Math.abs(received.audioMs - (chime.durationSeconds + bulletin.durationSeconds) * 1000)).toBeLessThan(100);
    expect(received.peakDbfs).toBeGreaterThan(-30);
  }

  describe('answer at the end of playback', () => {
    it('sends the chime and the bulletin as one transmit and records device_reported per item by offset', async () => {
      const device = await speaker();
      const items = await driver().play(target(device.url), program());

      expectProgramEvidence(items, 'device_reported');
      expect(device.transmissions).toHaveLength(1);
      const [received] = device.transmissions;
      expect(received.outcome).toBe('played');
      await expectWholeProgram(received);
      // The device answered once the program had been heard, and the evidence says how long after the first byte.
      const answeredAfterMs = items[0].evidence.device.answeredAfterMs as number;
      expect(answeredAfterMs).toBeGreaterThanOrEqual(received.heardUntil! - received.firstByteAt! - 50);
      expect(items[1].evidence.finishedAt!.getTime()).toBeGreaterThanOrEqual(received.answeredAt!);
      // The audio went out once, with credentials: an empty probe fetched the challenge.
      expect(transmitStatuses(device)).toEqual([
        [false, 401],
        [true, 200],
      ]);
    });

    it('answers a SHA-256 challenge as well as MD5', async () => {
      const device = await speaker({ algorithm: 'SHA-256' });
      const [{ evidence }] = await driver().play(target(device.url), single(short));
      expect(evidence.level).toBe('device_reported');
      expect(transmitStatuses(device)).toEqual([
        [false, 401],
        [true, 200],
      ]);
    });

    it('streams at the audio rate: the sound never runs ahead of the upload by more than the lead', async () => {
      const device = await speaker();
      await driver().play(target(device.url), program());
      const [received] = device.transmissions;
      // The last byte came no earlier than the program's length less the lead (an unpaced upload takes milliseconds);
      // a second of audio is left for the time the first byte took to arrive.
      const uploadAudioMs = (received.lastByteAt! - received.firstByteAt!) / TIME_SCALE;
      expect(uploadAudioMs).toBeGreaterThanOrEqual(mulawMs(programBytes()) - STREAM_LEAD_MS - 1_000);
    });
  });

  describe.each([500, 2_000])('a playout buffer of %i ms, answering 200 once it holds the audio', (bufferMs) => {
    it('is played: device_reported for every item, answered before the end was heard, with the lead in the evidence', async () => {
      const device = await speaker({ mode: { kind: 'playout-buffer', bufferMs } });
      const items = await driver().play(target(device.url), program());

      expectProgramEvidence(items, 'device_reported');
      const [received] = device.transmissions;
      expect(received.outcome).toBe('played');
      await expectWholeProgram(received);
      // It answered while its last audio was still to be heard: the report came early, and is believed.
      expect(received.answeredAt!).toBeLessThan(received.heardUntil!);
      // The evidence keeps how long after the first byte the answer came: no earlier than the paced upload allows.
      const answeredAfterMs = items[0].evidence.device.answeredAfterMs as number;
      const audioMs = items[0].evidence.device.audioMs as number;
      expect(answeredAfterMs).toBeGreaterThanOrEqual((audioMs - STREAM_LEAD_MS) * TIME_SCALE - 50);
    });
  });

  it('a slow reader (back-pressure at the audio rate) plays the whole program and answers at the end', async () => {
    const device = await speaker({ mode: { kind: 'slow-reader' } });
    const items = await driver().play(target(device.url), program());
    expectProgramEvidence(items, 'device_reported');
    const [received] = device.transmissions;
    expect(received.outcome).toBe('played');
    await expectWholeProgram(received);
    expect(received.answeredAt!).toBeGreaterThanOrEqual(received.heardUntil!);
  });

  describe('drop mid-stream: a closed connection without an answer is a failed playback, as VAPIX says', () => {
    it('dropped during the bulletin: rejected, both items commanded with what had been sent', async () => {
      const device = await speaker({ mode: { kind: 'drop-mid-stream', afterMs: 10_000 } });
      const error = await failure(driver().play(target(device.url), program()));
      expect(error.kind).toBe('rejected');
      expect(error.message).toMatch(/closed the connection without confirming the playback \(after \d+ of \d+ bytes\)/);
      expect(error.evidence!.map(({ bulletinId, evidence }) => [bulletinId, evidence.level])).toEqual([
        ['chime', 'commanded'],
        ['b-45', 'commanded'],
      ]);
      const sentBytes = error.evidence![0].evidence.device.sentBytes as number;
      expect(sentBytes).toBeLessThan(programBytes());
      expect(isTransient(error)).toBe(false);
      const [received] = device.transmissions;
      expect(received.outcome).toBe('dropped');
      expect(received.bytes).toBeLessThanOrEqual(sentBytes);
      expect(received.audioMs).toBeGreaterThanOrEqual(10_000);
    });

    it('dropped during the chime: only the chime was commanded', async () => {
      const device = await speaker({ mode: { kind: 'drop-mid-stream', afterMs: 2_000 } });
      const error = await failure(driver().play(target(device.url), program()));
      expect(error.kind).toBe('rejected');
      expect(error.evidence!.map(({ bulletinId, evidence }) => [bulletinId, evidence.level])).toEqual([['chime', 'commanded']]);
      expect(device.transmissions[0].outcome).toBe('dropped');
    });
  });

  it('a 2xx before the whole program was sent is not a report that the device took it: protocol, commanded', async () => {
    const device = await speaker({ mode: { kind: 'answer-at-once' } });
    const error = await failure(driver().play(target(device.url), program()));
    expect(error.kind).toBe('protocol');
    expect(error.message).toMatch(/answered 200 after only \d+ of \d+ bytes had been sent/);
    expect(error.evidence!.length).toBeGreaterThan(0);
    expect(error.evidence!.every(({ evidence }) => evidence.level === 'commanded')).toBe(true);
  });

  describe('stop', () => {
    it('dropping the connection cuts the sound within a second: the device holds no more than that when it closes', async () => {
      // Slower than the others (the 50 s program lasts 10 s): the stop must land mid-program on a busy machine.
      const scale = TIME_SCALE * 4;
      const device = await speaker({ timeScale: scale });
      const axis = driver({ deviceTimeScale: scale });
      const playback = program();
      const playing = timed(() => axis.play(target(device.url), playback));
      await until(() => (device.transmissions[0]?.audioMs ?? 0) >= 6_000, 20_000, 'the bulletin to be on air');
      expect(await axis.stop(target(device.url), playback.playbackId)).toBe(true);

      const { error } = await playing;
      expect(isPlaybackAborted(error)).toBe(true);
      await until(() => device.transmissions[0].outcome !== 'receiving', 10_000, 'the device to notice');
      const [received] = device.transmissions;
      expect(received.outcome).toBe('cut');
      expect(received.bytes).toBeLessThan(programBytes());
      // What it still had to play when the connection closed, in audio time.
      expect((received.heardUntil! - received.closedAt!) / scale).toBeLessThanOrEqual(CUT_WITHIN_AUDIO_MS);
      expect(await axis.stop(target(device.url), playback.playbackId)).toBe(false);
    });

    it("ends the playback the same way when the caller's signal aborts", async () => {
      const scale = TIME_SCALE * 4;
      const device = await speaker({ timeScale: scale });
      const controller = new AbortController();
      const playing = timed(() => driver({ deviceTimeScale: scale }).play(target(device.url), program(controller.signal)));
      await until(() => (device.transmissions[0]?.audioMs ?? 0) >= 2_000, 20_000, 'the chime to be on air');
      controller.abort();
      expect(isPlaybackAborted((await playing).error)).toBe(true);
      await until(() => device.transmissions[0].outcome === 'cut', 10_000, 'the device to notice');
      expect((device.transmissions[0].heardUntil! - device.transmissions[0].closedAt!) / scale).toBeLessThanOrEqual(CUT_WITHIN_AUDIO_MS);
    });
  });

  describe("what answers with a page of its own: its text reaches no one's screen", () => {
    const PAGE = '<html><body>Đăng nhập Wi-Fi khách sạn: mật khẩu phòng 1234</body></html>';

    it('a played program keeps the status and the server in its evidence, never the text', async () => {
      const device = await speaker({ mode: { kind: 'playout-buffer', bufferMs: 500 }, transmitAnswerText: PAGE });
      const items = await driver().play(target(device.url), single(short));
      expect(items[0].evidence).toMatchObject({ level: 'device_reported', device: { status: 200 } });
      expect(JSON.stringify(items)).not.toMatch(/Wi-Fi|mật khẩu|html/);
    });

    it('a refusal names the status, never the text', async () => {
      const device = await speaker({ transmitAnswerText: PAGE });
      device.occupy(60_000);
      const error = await failure(driver().play(target(device.url), single(short)));
      expect(error.kind).toBe('busy');
      expect(error.message).toContain('HTTP 503');
      expect(error.message).not.toMatch(/Wi-Fi|mật khẩu|html/);
    });
  });

  describe('503 while busy: a busy error, retried by dispatch, never evidence', () => {
    it('refuses a transmit while it plays a source of its own', async () => {
      const device = await speaker();
      device.occupy(60_000);
      const error = await failure(driver().play(target(device.url), program()));
      expect(error.kind).toBe('busy');
      expect(error.evidence).toBeUndefined();
      expect(isTransient(error)).toBe(true);
      expect(device.transmissions).toHaveLength(0);
    });

    it('refuses a second transmit while the first program plays; the first still plays to the end', async () => {
      const device = await speaker();
      const axis = driver();
      const first = axis.play(target(device.url), program());
      await until(() => device.transmissions.length === 1, 10_000, 'the first program to start');
      const error = await failure(axis.play(target(device.url), single(short)));
      expect(error.kind).toBe('busy');
      expect((await first).map(({ evidence }) => evidence.level)).toEqual(['device_reported', 'device_reported']);
      expect(transmitStatuses(device)).toEqual([
        [false, 401],
        [true, 200],
        [true, 503],
      ]);
    });
  });

  describe('Digest', () => {
    it('reuses the nonce for the next program: one request, no new challenge', async () => {
      const device = await speaker();
      const axis = driver();
      await axis.play(target(device.url), single(short));
      await axis.play(target(device.url), single(short));
      expect(transmitStatuses(device)).toEqual([
        [false, 401],
        [true, 200],
        [true, 200],
      ]);
      expect(device.played).toHaveLength(2);
    });

    it('renews a stale nonce once (401 with stale=true) and plays', async () => {
      const device = await speaker();
      const axis = driver();
      await axis.play(target(device.url), single(short));
      device.expireNonces();
      const [{ evidence }] = await axis.play(target(device.url), single(short));
      expect(evidence.level).toBe('device_reported');
      // The stale answer is refused before it is played; the renewed one plays.
      expect(transmitStatuses(device)).toEqual([
        [false, 401],
        [true, 200],
        [false, 401],
        [true, 200],
      ]);
      expect(device.played).toHaveLength(2);
    });

    it('calls a wrong password an auth error after exactly one challenge round, sending no audio', async () => {
      const device = await speaker();
      const error = await failure(driver().play(target(device.url, 'wrong-password'), program()));
      expect(error.kind).toBe('auth');
      expect(error.message).toMatch(/check the username and password/);
      expect(error.message).not.toContain('wrong-password');
      expect(transmitStatuses(device)).toEqual([
        [false, 401],
        [false, 401],
      ]);
      expect(device.transmissions).toHaveLength(0);
    });
  });

  describe('no answer', () => {
    it('a device that takes the audio and never answers: a timeout after the program plus the response timeout, commanded', async () => {
      const device = await speaker({ mode: { kind: 'mute' } });
      const play = await timed(() => driver().play(target(device.url), single(short)));
      const expectedMs = mulawMs(short.mulawBytes) * TIME_SCALE + LIMITS.responseTimeoutMs;
      expect(play.error).toMatchObject({ kind: 'timeout' });
      expect(play.ms).toBeGreaterThanOrEqual(expectedMs - 50);
      expect(play.ms).toBeLessThan(expectedMs + MARGIN_MS);
      const error = play.error as DriverError;
      expect(error.evidence!.map(({ evidence }) => [evidence.level, evidence.device.audioBytes])).toEqual([['commanded', short.mulawBytes]]);
      expect(isTransient(error)).toBe(false);
    });

    it('a listener that never accepts (full backlog): unreachable within the connect timeout, no evidence', async () => {
      const listener = await SilentListener.start();
      try {
        const play = await timed(() => driver().play(target(listener.url), program()));
        expect(play.error).toMatchObject({ kind: 'unreachable', message: UNREACHABLE });
        expect(play.ms).toBeGreaterThanOrEqual(LIMITS.connectTimeoutMs - 50);
        expect(play.ms).toBeLessThan(LIMITS.connectTimeoutMs + MARGIN_MS);
        expect((play.error as DriverError).evidence).toBeUndefined();
        expect(await driver().checkHealth(target(listener.url))).toMatchObject({ ok: false, errorKind: 'unreachable' });
      } finally {
        await listener.close();
      }
    });

    it('nobody at the address (connection refused): unreachable at once', async () => {
      const device = await speaker();
      const { url } = device;
      await speakers.pop()!.close();
      const play = await timed(() => driver().play(target(url), program()));
      expect(play.error).toMatchObject({ kind: 'unreachable', message: UNREACHABLE });
    });
  });

  describe('health', () => {
    it('checks param.cgi under Digest and reads the audio properties', async () => {
      const device = await speaker();
      const health = await driver().checkHealth(target(device.url));
      expect(health).toEqual({ ok: true, latencyMs: expect.any(Number), detail: 'audio ready (decoders: g711,axis-mulaw-128)' });
      expect(device.requests.map((entry) => [entry.target, entry.status])).toEqual([
        ['/axis-cgi/param.cgi?action=list&group=Properties.Audio', 401],
        ['/axis-cgi/param.cgi?action=list&group=Properties.Audio', 200],
      ]);
    });

    it('reports a wrong password as auth after one challenge round', async () => {
      const device = await speaker();
      expect(await driver().checkHealth(target(device.url, 'nope'))).toMatchObject({ ok: false, errorKind: 'auth' });
      expect(device.requests).toHaveLength(2);
    });
  });
});
