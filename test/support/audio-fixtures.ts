import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface FixtureSpec {
  /** lavfi source graph, e.g. `sine=frequency=440:duration=5` */
  source: string;
  /** Encoder and container options, e.g. ['-c:a', 'libmp3lame', '-b:a', '128k'] */
  output: string[];
  /** Extra audio filters applied before encoding (e.g. a volume change). */
  filters?: string[];
}

/** Makes a test audio file with ffmpeg's synthetic sources; returns its path. */
export async function makeAudio(dir: string, name: string, spec: FixtureSpec): Promise<string> {
  const path = join(dir, name);
  const filterArgs = spec.filters?.length ? ['-af', spec.filters.join(',')] : [];
  await execFileAsync('ffmpeg', ['-v', 'error', '-nostdin', '-y', '-f', 'lavfi', '-i', spec.source, ...filterArgs, ...spec.output, path]);
  return path;
}

/**
 * Speech-like material: band-limited pink noise with a 4 Hz syllable envelope and a pause every 3 seconds.
 * `seed` makes each file's bytes unique so uploads never collide as duplicates.
 */
export function speechLike(durationSeconds: number, seed: number, amplitude = 0.5): string {
  return (
    `anoisesrc=color=pink:amplitude=${amplitude}:duration=${durationSeconds}:sample_rate=44100:seed=${seed},` +
    `lowpass=f=3500,volume='if(lt(mod(t\\,3)\\,2.2)\\,0.55+0.45*sin(2*PI*4*t)\\,0.03)':eval=frame`
  );
}

export interface Measurement {
  integratedLufs: number;
  truePeakDbtp: number;
  durationSeconds: number;
  channels: number;
}

/** Measures a file independently of Loa's code: ffmpeg's ebur128 and ffprobe, parsed here. */
export async function measure(path: string): Promise<Measurement> {
  const { stderr } = await execFileAsync('ffmpeg', ['-hide_banner', '-nostdin', '-i', path, '-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-']);
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const integrated = /I:\s*(-?[\d.]+) LUFS/.exec(summary);
  const peak = /Peak:\s*(-?[\d.]+) dBFS/.exec(summary);
  const { stdout } = await execFileAsync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=channels', '-of', 'json', path]);
  const probe = JSON.parse(stdout) as { format: { duration: string }; streams: { channels: number }[] };
  return {
    integratedLufs: Number(integrated?.[1]),
    truePeakDbtp: Number(peak?.[1]),
    durationSeconds: Number(probe.format.duration),
    channels: probe.streams[0].channels,
  };
}
