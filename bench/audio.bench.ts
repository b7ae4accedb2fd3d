/**
 * `npm run bench:audio [-- --seconds 300 --runs 1]`
 *
 * Normalises a speech-like file through Loa's real pipeline (upload inspection decode + LoudnessPipeline.normalise)
 * and, in the same process, through the textbook approach: plain ffmpeg two-pass `loudnorm` (measure, then apply
 * with the measured values). Both outputs are measured the same independent way (ffmpeg ebur128=peak=true).
 * Goal: ratio = loa_wall / baseline_wall <= 0.5, output within ±1 LU of the target, true peak at or under the ceiling.
 * The last line printed is the JSON result.
 */
import { Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { AppConfig } from '../src/config/app-config';
import { FfmpegAdapter } from '../src/media/ffmpeg.adapter';
import { parseMaxVolumeDb } from '../src/media/ffmpeg-output';
import { LoudnessPipeline } from '../src/media/loudness-pipeline';
import { inspectionInvocation } from '../src/media/media-commands';
import { AudioStore } from '../src/storage/audio-store';

const execFileAsync = promisify(execFile);

const GOAL_RATIO = 0.5;
const GOAL_TOLERANCE_LU = 1;
const MONO = 'aformat=channel_layouts=mono';

interface Options {
  seconds: number;
  runs: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '300' },
      runs: { type: 'string', default: '1' },
    },
    strict: true,
    allowPositionals: false,
  });
  const seconds = Number(values.seconds);
  const runs = Number(values.runs);
  if (!Number.isFinite(seconds) || seconds < 5) throw new Error(`--seconds must be a number >= 5, got ${values.seconds}`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
  return { seconds, runs };
}

/** Runs ffmpeg and returns its stderr (where the filters print their measurements). */
async function ffmpeg(ffmpegPath: string, args: string[], signal: AbortSignal): Promise<string> {
  const { stderr } = await execFileAsync(ffmpegPath, ['-hide_banner', '-nostdin', ...args], {
    signal,
    maxBuffer: 256 * 1024 * 1024,
  });
  return stderr;
}

/** Pink noise, band-limited like a voice, with 4 Hz syllable modulation and a pause every 3 s. Not timed. */
async function generateSpeechLike(ffmpegPath: string, seconds: number, output: string, signal: AbortSignal): Promise<void> {
  const graph =
    `anoisesrc=color=pink:amplitude=0.5:duration=${seconds}:sample_rate=44100:seed=7,` +
    'lowpass=f=3500,' +
    "volume='if(lt(mod(t\\,3)\\,2.2)\\,0.55+0.45*sin(2*PI*4*t)\\,0.03)':eval=frame";
  await ffmpeg(ffmpegPath, ['-y', '-f', 'lavfi', '-i', graph, '-ac', '2', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '128k', output], signal);
}

interface Loudness {
  lufs: number;
  truePeakDbtp: number;
}

function summaryNumber(summary: string, label: string): number {
  const match = new RegExp(`\\b${label}:\\s*(-?inf|-?\\d+(?:\\.\\d+)?)`).exec(summary);
  if (!match) throw new Error(`ebur128 summary has no ${label}`);
  return match[1].endsWith('inf') ? -Infinity : Number(match[1]);
}

/** The independent measurement applied to both outputs: ffmpeg's ebur128 with true peak, read from its summary. */
async function measure(ffmpegPath: string, path: string, signal: AbortSignal): Promise<Loudness> {
  const stderr = await ffmpeg(ffmpegPath, ['-i', path, '-map', '0:a:0', '-af', 'ebur128=peak=true', '-f', 'null', '-'], signal);
  const start = stderr.lastIndexOf('Summary:');
  if (start < 0) throw new Error(`ffmpeg printed no ebur128 summary for ${path}`);
  const summary = stderr.slice(start);
  return { lufs: summaryNumber(summary, 'I'), truePeakDbtp: summaryNumber(summary, 'Peak') };
}

interface RunResult {
  wallS: number;
  output: Loudness;
}

/** Loa: the upload inspection decode (peak for the silence threshold), then LoudnessPipeline.normalise. */
async function runLoa(
  config: AppConfig,
  adapter: FfmpegAdapter,
  store: AudioStore,
  pipeline: LoudnessPipeline,
  source: string,
  seconds: number,
  signal: AbortSignal,
): Promise<RunResult & { inspectionS: number; renders: number; reported: Loudness }> {
  const started = performance.now();
  const inspection = await adapter.run(inspectionInvocation(source, config.audio.maxDurationSeconds), signal);
  const peakDbfs = parseMaxVolumeDb(inspection) ?? -Infinity;
  const inspected = performance.now();
  const rendition = await pipeline.normalise({ path: source, durationSeconds: seconds, peakDbfs }, signal);
  const wallS = (performance.now() - started) / 1000;

  const path = store.pathOf('renditions', rendition.sha256);
  const output = await measure(config.ffmpeg.ffmpegPath, path, signal);
  await rm(path, { force: true }); // the next run must write its own rendition, not find this one
  return {
    wallS,
    inspectionS: (inspected - started) / 1000,
    output,
    renders: rendition.renders,
    reported: { lufs: rendition.output.integratedLufs, truePeakDbtp: rendition.output.peakDb },
  };
}

interface LoudnormStats {
  input_i: string;
  input_tp: string;
  input_lra: string;
  input_thresh: string;
  target_offset: string;
}

function parseLoudnormJson(stderr: string): LoudnormStats {
  const start = stderr.lastIndexOf('{');
  const end = stderr.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('loudnorm printed no JSON');
  const stats = JSON.parse(stderr.slice(start, end + 1)) as Partial<LoudnormStats>;
  for (const key of ['input_i', 'input_tp', 'input_lra', 'input_thresh', 'target_offset'] as const) {
    if (typeof stats[key] !== 'string' || !Number.isFinite(Number(stats[key]))) throw new Error(`loudnorm JSON has no usable ${key}`);
  }
  return stats as LoudnormStats;
}

/**
 * Textbook: ffmpeg two-pass loudnorm (measure, then apply linearly with the measured values), same MP3 settings as Loa.
 * The mono downmix comes before loudnorm in both passes, as in Loa: downmixing after it (`-ac 1` alone) sums the two
 * limited channels and lifts the true peak about 3 dB over the ceiling.
 */
async function runBaseline(config: AppConfig, source: string, output: string, signal: AbortSignal): Promise<RunResult & { mode: string }> {
  const ffmpegPath = config.ffmpeg.ffmpegPath;
  const { integratedLufs, truePeakDbtp, rangeLu } = config.audio.loudness;
  const targets = `I=${integratedLufs}:TP=${truePeakDbtp}:LRA=${rangeLu}`;

  const started = performance.now();
  const pass1 = await ffmpeg(ffmpegPath, ['-i', source, '-map', '0:a:0', '-af', `${MONO},loudnorm=${targets}:print_format=json`, '-f', 'null', '-'], signal);
  const m = parseLoudnormJson(pass1);
  const apply =
    `${MONO},loudnorm=${targets}:measured_I=${m.input_i}:measured_TP=${m.input_tp}:measured_LRA=${m.input_lra}` +
    `:measured_thresh=${m.input_thresh}:offset=${m.target_offset}:linear=true:print_format=summary`;
  const pass2 = await ffmpeg(
    ffmpegPath,
    [
      '-y',
      '-i',
      source,
      '-map',
      '0:a:0',
      '-af',
      apply,
      '-ac',
      '1',
      '-ar',
      String(config.audio.renditionSampleRate),
      '-c:a',
      'libmp3lame',
      '-b:a',
      `${config.audio.renditionBitrateKbps}k`,
      '-f',
      'mp3',
      output,
    ],
    signal,
  );
  const wallS = (performance.now() - started) / 1000;

  const measured = await measure(ffmpegPath, output, signal);
  await rm(output, { force: true });
  // loudnorm silently switches from linear to dynamic when the linear gain would break the true-peak target.
  const mode = /Normalization Type:\s*(\w+)/.exec(pass2)?.[1] ?? 'unknown';
  return { wallS, output: measured, mode };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function fmt(value: number, digits = 2): string {
  return value.toFixed(digits);
}

async function main(): Promise<void> {
  const { seconds, runs } = options();
  // Keep the pipeline's warnings (e.g. "kept off target") but not the per-command debug lines.
  Logger.overrideLogger(['error', 'warn', 'fatal']);

  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const signal = controller.signal;

  const work = await mkdtemp(join(tmpdir(), 'loa-bench-audio-'));
  try {
    const audioDir = join(work, 'audio');
    await mkdir(audioDir);
    const config = AppConfig.fromEnvironment({ ...process.env, AUDIO_DIR: audioDir });
    const adapter = new FfmpegAdapter(config);
    const store = new AudioStore(config);
    await store.onModuleInit();
    const pipeline = new LoudnessPipeline(adapter, store, config);
    const target = config.audio.loudness;

    const source = join(work, 'speech-like.mp3');
    console.log(`Generating ${seconds} s of speech-like stereo 44.1 kHz MP3 (not timed)…`);
    await generateSpeechLike(config.ffmpeg.ffmpegPath, seconds, source, signal);
    const sourceBytes = (await stat(source)).size;
    const sourceLoudness = await measure(config.ffmpeg.ffmpegPath, source, signal);
    console.log(`Source: ${(sourceBytes / 1024 / 1024).toFixed(1)} MiB, ${fmt(sourceLoudness.lufs, 1)} LUFS, ` + `${fmt(sourceLoudness.truePeakDbtp, 1)} dBTP`);
    console.log(
      `Target: ${target.integratedLufs} LUFS ±${GOAL_TOLERANCE_LU} LU, true peak ≤ ${target.truePeakDbtp} dBTP, ` +
        `LRA ${target.rangeLu} LU; rendition mono ${config.audio.renditionSampleRate} Hz ${config.audio.renditionBitrateKbps} kb/s`,
    );
    console.log(`Runs: ${runs}${runs > 1 ? ' (order alternates; medians reported)' : ''}\n`);

    const loaRuns: Awaited<ReturnType<typeof runLoa>>[] = [];
    const baselineRuns: Awaited<ReturnType<typeof runBaseline>>[] = [];
    const baselineOutput = join(work, 'baseline.mp3');
    for (let run = 1; run <= runs; run++) {
      const loaFirst = run % 2 === 1;
      const doLoa = async () => {
        const result = await runLoa(config, adapter, store, pipeline, source, seconds, signal);
        loaRuns.push(result);
        console.log(
          `run ${run} Loa:      ${fmt(result.wallS)} s (${fmt(seconds / result.wallS, 1)}× realtime), ` +
            `${fmt(result.output.lufs)} LUFS, ${fmt(result.output.truePeakDbtp)} dBTP; ` +
            `inspection ${fmt(result.inspectionS)} s + normalise ${fmt(result.wallS - result.inspectionS)} s, ${result.renders} render(s)`,
        );
      };
      const doBaseline = async () => {
        const result = await runBaseline(config, source, baselineOutput, signal);
        baselineRuns.push(result);
        console.log(
          `run ${run} baseline: ${fmt(result.wallS)} s (${fmt(seconds / result.wallS, 1)}× realtime), ` +
            `${fmt(result.output.lufs)} LUFS, ${fmt(result.output.truePeakDbtp)} dBTP, loudnorm ${result.mode.toLowerCase()}`,
        );
      };
      if (loaFirst) {
        await doLoa();
        await doBaseline();
      } else {
        await doBaseline();
        await doLoa();
      }
    }

    const wallS = median(loaRuns.map((r) => r.wallS));
    const baselineWallS = median(baselineRuns.map((r) => r.wallS));
    const lufs = median(loaRuns.map((r) => r.output.lufs));
    const truePeak = median(loaRuns.map((r) => r.output.truePeakDbtp));
    const baselineLufs = median(baselineRuns.map((r) => r.output.lufs));
    const baselineTruePeak = median(baselineRuns.map((r) => r.output.truePeakDbtp));
    const reportedLufs = median(loaRuns.map((r) => r.reported.lufs));
    const reportedTruePeak = median(loaRuns.map((r) => r.reported.truePeakDbtp));
    const ratio = wallS / baselineWallS;
    const realtimeX = seconds / wallS;

    const label = runs > 1 ? ` (median of ${runs})` : '';
    console.log(`\nLoa (inspection decode + LoudnessPipeline.normalise)${label}:`);
    console.log(`  wall time      ${fmt(wallS)} s`);
    console.log(`  × realtime     ${fmt(realtimeX, 1)}×`);
    console.log(`  loudness       ${fmt(lufs)} LUFS (target ${target.integratedLufs}, off by ${fmt(lufs - target.integratedLufs)} LU)`);
    console.log(`  true peak      ${fmt(truePeak)} dBTP (ceiling ${target.truePeakDbtp})`);
    console.log(`  pipeline says  ${fmt(reportedLufs)} LUFS, ${fmt(reportedTruePeak)} dBTP`);
    console.log(`Textbook two-pass ffmpeg loudnorm (mono downmix, linear=true)${label}:`);
    console.log(`  wall time      ${fmt(baselineWallS)} s (${fmt(seconds / baselineWallS, 1)}× realtime)`);
    console.log(`  loudness       ${fmt(baselineLufs)} LUFS`);
    console.log(`  true peak      ${fmt(baselineTruePeak)} dBTP`);

    const fastEnough = ratio <= GOAL_RATIO;
    const onTarget = Math.abs(lufs - target.integratedLufs) <= GOAL_TOLERANCE_LU;
    const underCeiling = truePeak <= target.truePeakDbtp;
    console.log(`Ratio Loa / baseline: ${fmt(ratio, 3)} (goal ≤ ${GOAL_RATIO}: ${fastEnough ? 'met' : 'NOT met'})`);
    console.log(`Loudness within ±${GOAL_TOLERANCE_LU} LU: ${onTarget ? 'yes' : 'NO'}; true peak at or under ceiling: ${underCeiling ? 'yes' : 'NO'}`);
    console.log(`Goal ${fastEnough && onTarget && underCeiling ? 'MET' : 'NOT MET'}`);

    console.log(
      JSON.stringify({
        bench: 'audio',
        wall_s: round(wallS, 3),
        realtime_x: round(realtimeX, 2),
        baseline_wall_s: round(baselineWallS, 3),
        ratio: round(ratio, 3),
        lufs: round(lufs, 2),
        true_peak_dbtp: round(truePeak, 2),
        target_lufs: target.integratedLufs,
        ceiling_dbtp: target.truePeakDbtp,
      }),
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  if (error instanceof Error && error.name === 'AbortError') console.error('Interrupted; temporary files removed');
  else console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
