import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator, EmulatorOptions, startEmulator } from '../../src/emulator/emulator';
import { AxisVapixDriver, AxisVapixOptions } from '../../src/speakers/drivers/axis-vapix/axis-vapix.driver';
import { AxisVapixSecrets, AxisVapixSettings } from '../../src/speakers/drivers/axis-vapix/axis-vapix.config';
import { DriverError, isPlaybackAborted } from '../../src/speakers/drivers/driver-error';
import { DriverTarget, PlaybackRequest } from '../../src/speakers/drivers/speaker-driver';
import { FfmpegAdapter } from '../../src/media/ffmpeg.adapter';
import { BulletinAudio, bulletinAudio, quietFfmpeg, timed, until } from './support/driver-audio';

const TIME_SCALE = 0.05;
const LIMITS = { connectTimeoutMs: 1_000, responseTimeoutMs: 600, maxResponseBytes: 64 * 1024 };
const PASSWORD = 'Ph4t-thanh-xa';
/** Slack for timers and a loaded CI machine on top of a configured timeout. */
const MARGIN_MS = 800;

describe('axis-vapix driver against the emulated Axis speaker', () => {
  let dir: string;
  let ffmpeg: FfmpegAdapter;
  let short: BulletinAudio;
  let long: BulletinAudio;
  const emulators: Emulator[] = [];
  let playbackSeq = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loa-axis-'));
    ffmpeg = quietFfmpeg(dir);
    short = await bulletinAudio(ffmpeg, dir, 'short', 3, 11);
    long = await bulletinAudio(ffmpeg, dir, 'long', 20, 12);
  });

  afterEach(async () => {
    await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function emulate(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
    const emulator = await startEmulator({ driver: 'axis-vapix', password: PASSWORD, timeScale: TIME_SCALE, ffmpeg, ...options });
    emulators.push(emulator);
    return emulator;
  }

  function driver(options: Partial<AxisVapixOptions> = {}): AxisVapixDriver {
    return new AxisVapixDriver({ ...LIMITS, deviceTimeScale: TIME_SCALE, ...options });
  }

  function target(emulator: Emulator, password = PASSWORD): DriverTarget<AxisVapixSettings, AxisVapixSecrets> {
    return { settings: { url: emulator.url }, secrets: { username: 'root', password } };
  }

  function request(audio: BulletinAudio, signal = new AbortController().signal): PlaybackRequest {
    return {
      playbackId: `pb-${++playbackSeq}`,
      priority: 'normal',
      audio: { path: audio.mulaw, sha256: audio.sha256, durationMs: Math.round(audio.durationSeconds * 1000) },
      signal,
    };
  }

  function transmits(emulator: Emulator) {
    return emulator.requests.filter((entry) => entry.path === '/axis-cgi/audio/transmit.cgi');
  }

  async function failure(work: Promise<unknown>): Promise<DriverError> {
    const error = await work.then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(DriverError);
    return error as DriverError;
  }

  it('plays a bulletin: the device receives all of it, decodes its real duration and reports it played', async () => {
    const speaker = await emulate();
    const evidence = await driver().play(target(speaker), request(short));

    expect(evidence.level).toBe('device_reported');
    expect(evidence.finishedAt!.getTime() - evidence.commandedAt.getTime()).toBeGreaterThanOrEqual(short.durationSeconds * 1000 * TIME_SCALE * 0.9);
    expect(evidence.device).toMatchObject({ status: 200, audioBytes: short.mulawBytes });
    expect(speaker.playbacks).toHaveLength(1);
    const [played] = speaker.playbacks;
    expect(played).toMatchObject({ outcome: 'played', receivedBytes: short.mulawBytes });
    expect(Math.abs(played.decodedSeconds! - short.durationSeconds)).toBeLessThan(0.1);
    expect(played.maxVolumeDb).toBeGreaterThan(-30);
    // The audio went out once, with credentials: an empty probe fetched the challenge.
    expect(transmits(speaker).map((entry) => [entry.authorized, entry.status])).toEqual([[false, 401], [true, 200]]);
  });

  it('reuses the Digest nonce for the next bulletin: one request, no new challenge', async () => {
    const speaker = await emulate();
    const axis = driver();
    await axis.play(target(speaker), request(short));
    await axis.play(target(speaker), request(short));
    expect(transmits(speaker).map((entry) => entry.status)).toEqual([401, 200, 200]);
    expect(speaker.playbacks.map((playback) => playback.outcome)).toEqual(['played', 'played']);
  });

  it('renews an expired (stale) nonce once and plays', async () => {
    const speaker = await emulate({ nonceTtlMs: 100 });
    const axis = driver();
    await axis.play(target(speaker), request(short));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await axis.play(target(speaker), request(short));
    expect(transmits(speaker).map((entry) => [entry.authorized, entry.status])).toEqual([[false, 401], [true, 200], [false, 401], [true, 200]]);
  });

  it('calls a wrong password an auth error after exactly one challenge round, sending no audio', async () => {
    const speaker = await emulate();
    const error = await failure(driver().play(target(speaker, 'wrong-password'), request(short)));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/check the username and password/);
    expect(error.message).not.toContain('wrong-password');
    expect(transmits(speaker)).toHaveLength(2);
    expect(speaker.playbacks).toHaveLength(0);
  });

  it('answers 503 while already playing, which is a busy error; the first bulletin still plays', async () => {
    const speaker = await emulate();
    const axis = driver();
    const first = axis.play(target(speaker), request(long));
    await until(() => speaker.playbacks.length === 1, 10_000, 'the first playback to start');
    const error = await failure(axis.play(target(speaker), request(short)));
    expect(error.kind).toBe('busy');
    expect(error.evidence).toBeUndefined();
    expect((await first).level).toBe('device_reported');
    // In order of arrival: the probe, the first bulletin (answered last), the refused second one.
    expect(transmits(speaker).map((entry) => entry.status)).toEqual([401, 200, 503]);
  });

  it('stops an in-flight playback by dropping the connection, which ends it on the device', async () => {
    const speaker = await emulate();
    const axis = driver();
    const playback = request(long);
    const playing = timed(() => axis.play(target(speaker), playback));
    await until(() => speaker.playbacks.length === 1, 10_000, 'the playback to start');
    expect(await axis.stop(target(speaker), playback.playbackId)).toBe(true);

    const { error, ms } = await playing;
    expect(isPlaybackAborted(error)).toBe(true);
    expect(ms).toBeLessThan(long.durationSeconds * 1000 * TIME_SCALE);
    await until(() => speaker.playbacks[0].outcome !== 'playing', 10_000, 'the device to notice');
    expect(speaker.playbacks[0].outcome).toBe('interrupted');
    expect(await axis.stop(target(speaker), playback.playbackId)).toBe(false);
    // The speaker is free again at once.
    expect((await axis.play(target(speaker), request(short))).level).toBe('device_reported');
  });

  it("ends the playback when the caller's signal aborts", async () => {
    // Ten times slower than the others (10 s on air): on a busy machine a 1 s playback can end before the abort lands.
    const slow = { timeScale: TIME_SCALE * 10 };
    const speaker = await emulate(slow);
    const controller = new AbortController();
    const playing = timed(() => driver({ deviceTimeScale: slow.timeScale }).play(target(speaker), request(long, controller.signal)));
    await until(() => speaker.playbacks.length === 1, 10_000, 'the playback to start');
    controller.abort();
    expect(isPlaybackAborted((await playing).error)).toBe(true);
    await until(() => speaker.playbacks[0].outcome === 'interrupted', 10_000, 'the device to notice');
  });

  it('checks health with param.cgi under Digest and believes only a real parameter list', async () => {
    const speaker = await emulate();
    const health = await driver().checkHealth(target(speaker));
    expect(health).toEqual({ ok: true, latencyMs: expect.any(Number), detail: 'audio ready (decoders: g711,g726,axis-mulaw-128)' });
    expect(speaker.requests.map((entry) => [entry.path, entry.status])).toEqual([
      ['/axis-cgi/param.cgi?action=list&group=Properties.Audio', 401],
      ['/axis-cgi/param.cgi?action=list&group=Properties.Audio', 200],
    ]);
  });

  it('reports a wrong password in health as auth after one challenge round', async () => {
    const speaker = await emulate();
    expect(await driver().checkHealth(target(speaker, 'nope'))).toMatchObject({ ok: false, errorKind: 'auth' });
    expect(speaker.requests).toHaveLength(2);
  });

  describe('fault modes', () => {
    it('offline: unreachable, well within the connect timeout', async () => {
      const speaker = await emulate({ fault: 'offline' });
      const play = await timed(() => driver().play(target(speaker), request(short)));
      expect(play.error).toMatchObject({ kind: 'unreachable' });
      expect(play.ms).toBeLessThan(LIMITS.connectTimeoutMs + MARGIN_MS);
      expect(await driver().checkHealth(target(speaker))).toMatchObject({ ok: false, errorKind: 'unreachable' });
    });

    it('slow: a timeout once the answer is later than the response timeout', async () => {
      const speaker = await emulate({ fault: 'slow', slowDelayMs: 3_000 });
      const play = await timed(() => driver().play(target(speaker), request(short)));
      expect(play.error).toMatchObject({ kind: 'timeout' });
      expect(play.ms).toBeGreaterThanOrEqual(LIMITS.responseTimeoutMs - 50);
      expect(play.ms).toBeLessThan(LIMITS.responseTimeoutMs + MARGIN_MS);
      expect(await driver().checkHealth(target(speaker))).toMatchObject({ ok: false, errorKind: 'timeout' });
    });

    it('slow: still healthy when the answer comes within the response timeout', async () => {
      const speaker = await emulate({ fault: 'slow', slowDelayMs: 200 });
      expect(await driver({ responseTimeoutMs: 2_000 }).checkHealth(target(speaker))).toMatchObject({ ok: true });
    });

    it('wrong-password: the device refuses even the right password, after one round', async () => {
      const speaker = await emulate({ fault: 'wrong-password' });
      expect(await failure(driver().play(target(speaker), request(short)))).toMatchObject({ kind: 'auth' });
      expect(transmits(speaker)).toHaveLength(2);
      expect(await driver().checkHealth(target(speaker))).toMatchObject({ ok: false, errorKind: 'auth' });
    });

    it('garbage: a web page is not believed, neither as a health answer nor as proof of play', async () => {
      const speaker = await emulate({ fault: 'garbage' });
      const error = await failure(driver().play(target(speaker), request(short)));
      expect(error.kind).toBe('protocol');
      expect(error.message).toMatch(/cannot have played it/);
      expect(error.evidence).toMatchObject({ level: 'commanded' });
      const health = await driver().checkHealth(target(speaker));
      expect(health).toMatchObject({ ok: false, errorKind: 'protocol' });
      expect(health.detail).toMatch(/not answering like an Axis device/);
    });

    it('hang: a timeout, within the response timeout', async () => {
      const speaker = await emulate({ fault: 'hang' });
      const play = await timed(() => driver().play(target(speaker), request(short)));
      expect(play.error).toMatchObject({ kind: 'timeout' });
      expect(play.ms).toBeLessThan(LIMITS.responseTimeoutMs + MARGIN_MS);
      const health = await timed(() => driver().checkHealth(target(speaker)));
      expect(health.value).toMatchObject({ ok: false, errorKind: 'timeout' });
      expect(health.ms).toBeLessThan(LIMITS.responseTimeoutMs + MARGIN_MS);
    });

    it('hang once the audio went out: a timeout after the audio duration, recorded as commanded', async () => {
      const axis = driver();
      const healthy = await emulate();
      await axis.play(target(healthy), request(short));
      // The same speaker goes silent (power cut mid-bulletin); the cached nonce sends the audio straight away.
      await healthy.close();
      const silent = await emulate({ fault: 'hang', port: healthy.port });
      const play = await timed(() => axis.play(target(silent), request(short)));
      const expectedMs = short.durationSeconds * 1000 * TIME_SCALE + LIMITS.responseTimeoutMs;
      expect(play.error).toMatchObject({ kind: 'timeout', evidence: { level: 'commanded', device: { audioBytes: short.mulawBytes } } });
      expect(play.ms).toBeGreaterThanOrEqual(expectedMs - 50);
      expect(play.ms).toBeLessThan(expectedMs + MARGIN_MS);
      expect(silent.requests).toHaveLength(1);
    });

    it('drop: closed mid-stream without an answer is a rejected playback that was commanded', async () => {
      const speaker = await emulate({ fault: 'drop' });
      const error = await failure(driver().play(target(speaker), request(long)));
      expect(error.kind).toBe('rejected');
      expect(error.message).toMatch(/closed the connection without confirming the playback/);
      expect(error.evidence).toMatchObject({ level: 'commanded', device: { audioBytes: long.mulawBytes } });
      await until(() => speaker.playbacks[0]?.outcome === 'dropped', 10_000, 'the device to record the drop');
      expect(speaker.playbacks[0].receivedBytes).toBeLessThan(long.mulawBytes);
      expect(await driver().checkHealth(target(speaker))).toMatchObject({ ok: false, errorKind: 'protocol' });
    });
  });
});
