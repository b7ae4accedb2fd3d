import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../../../src/config/app-config';
import { FfmpegAdapter } from '../../../src/media/ffmpeg.adapter';
import { mulawInvocation } from '../../../src/media/media-commands';
import { makeAudio, measure, speechLike } from '../../support/audio-fixtures';

/** A bulletin's audio as the playback worker will hand it to a driver. */
export interface BulletinAudio {
  /** The MP3 rendition (what a gateway fetches). */
  rendition: string;
  /** The same audio as G.711 µ-law 8 kHz mono (what an Axis speaker receives). */
  mulaw: string;
  mulawBytes: number;
  sha256: string;
  /** The rendition's duration as ffprobe reads it, independently of Loa's code. */
  durationSeconds: number;
}

export function quietFfmpeg(audioDir: string): FfmpegAdapter {
  // The adapter logs every command line at debug level; tests print only failures.
  Logger.overrideLogger(['error', 'fatal']);
  return new FfmpegAdapter(AppConfig.fromEnvironment({ ...process.env, AUDIO_DIR: audioDir }));
}

/** Speech-like audio of `seconds`, as a rendition MP3 and converted to µ-law through Loa's own builder. */
export async function bulletinAudio(ffmpeg: FfmpegAdapter, dir: string, name: string, seconds: number, seed: number): Promise<BulletinAudio> {
  const rendition = await makeAudio(dir, `${name}.mp3`, { source: speechLike(seconds, seed), output: ['-ac', '1', '-c:a', 'libmp3lame', '-b:a', '96k'] });
  const mulaw = join(dir, `${name}.mulaw`);
  await ffmpeg.run(mulawInvocation(rendition, mulaw));
  return {
    rendition,
    mulaw,
    mulawBytes: (await stat(mulaw)).size,
    sha256: createHash('sha256')
      .update(await readFile(rendition))
      .digest('hex'),
    durationSeconds: (await measure(rendition)).durationSeconds,
  };
}

/** Resolves once `condition` holds, polling; fails the test after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `work` and returns how long it took with its outcome (value or error). */
export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = Date.now();
  try {
    const value = await work();
    return { ms: Date.now() - started, value };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}
