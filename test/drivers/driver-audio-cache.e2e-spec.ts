import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../src/config/app-config';
import { FfmpegAdapter } from '../../src/media/ffmpeg.adapter';
import { DriverAudioCache } from '../../src/speakers/drivers/driver-audio-cache';
import { AudioStore } from '../../src/storage/audio-store';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { quietFfmpeg } from './support/driver-audio';

/** µ-law at 8 kHz mono is one byte per sample. */
const MULAW_BYTES_PER_SECOND = 8000;

describe('DriverAudioCache: per-driver audio made from the rendition', () => {
  let audioDir: string;
  let config: AppConfig;
  let store: AudioStore;
  let ffmpeg: FfmpegAdapter;
  let seed = 40;

  beforeAll(async () => {
    audioDir = await mkdtemp(join(tmpdir(), 'loa-variants-'));
    config = AppConfig.fromEnvironment({ ...process.env, AUDIO_DIR: audioDir });
    store = new AudioStore(config);
    await store.onModuleInit();
    ffmpeg = quietFfmpeg(audioDir);
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await rm(audioDir, { recursive: true, force: true });
  });

  /** A rendition of `seconds` adopted into the store as the render worker leaves it; returns its SHA-256. */
  async function rendition(seconds: number): Promise<string> {
    const made = await makeAudio(audioDir, `source-${++seed}.mp3`, { source: speechLike(seconds, seed), output: ['-ac', '1', '-c:a', 'libmp3lame', '-b:a', '96k'] });
    const sha256 = createHash('sha256')
      .update(await readFile(made))
      .digest('hex');
    const temporary = store.temporaryPath('.mp3');
    await copyFile(made, temporary);
    await store.adopt(temporary, 'renditions', sha256);
    return sha256;
  }

  it('hands the MP3 rendition itself to drivers that send MP3, without running ffmpeg', async () => {
    const sha256 = await rendition(1);
    const run = jest.spyOn(ffmpeg, 'run');
    expect(await new DriverAudioCache(config, ffmpeg, store).pathFor(sha256, 'mp3')).toBe(store.pathOf('renditions', sha256));
    expect(run).not.toHaveBeenCalled();
  });

  it('makes the µ-law variant once for concurrent requests, at variants/<aa>/<sha256>.mulaw', async () => {
    const sha256 = await rendition(4);
    const run = jest.spyOn(ffmpeg, 'run');
    const cache = new DriverAudioCache(config, ffmpeg, store);
    const paths = await Promise.all(Array.from({ length: 5 }, () => cache.pathFor(sha256, 'mulaw')));

    const expected = join(audioDir, 'variants', sha256.slice(0, 2), `${sha256}.mulaw`);
    expect(new Set(paths)).toEqual(new Set([expected]));
    expect(run).toHaveBeenCalledTimes(1);
    expect(Math.abs((await stat(expected)).size / MULAW_BYTES_PER_SECOND - 4)).toBeLessThan(0.1);
    expect(await readdir(store.tempDir)).toEqual([]);

    // A later request, or another process after a restart, finds the file and renders nothing.
    await cache.pathFor(sha256, 'mulaw');
    await new DriverAudioCache(config, ffmpeg, store).pathFor(sha256, 'mulaw');
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('stays whole when two processes race to make the same variant', async () => {
    const sha256 = await rendition(3);
    const [first, second] = await Promise.all([
      new DriverAudioCache(config, ffmpeg, store).pathFor(sha256, 'mulaw'),
      new DriverAudioCache(config, ffmpeg, store).pathFor(sha256, 'mulaw'),
    ]);
    expect(first).toBe(second);
    expect(Math.abs((await stat(first)).size / MULAW_BYTES_PER_SECOND - 3)).toBeLessThan(0.1);
    expect(await readdir(store.tempDir)).toEqual([]);
  });

  it('says so when the rendition is missing, and leaves nothing behind', async () => {
    const missing = 'e'.repeat(64);
    const cache = new DriverAudioCache(config, ffmpeg, store);
    await expect(cache.pathFor(missing, 'mulaw')).rejects.toThrow(/not in the audio store/);
    await expect(stat(cache.variantPath(missing, 'mulaw'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(store.tempDir)).toEqual([]);
  });

  it('refuses a name that is not a SHA-256 before touching the disk', () => {
    expect(() => new DriverAudioCache(config, ffmpeg, store).variantPath('../../etc/passwd', 'mulaw')).toThrow('not a SHA-256');
  });
});
