import { LoudnessTarget } from '../config/app-config';
import { LoudnessMeasurement, SilenceInterval } from './ffmpeg-output';
import { RenderPlan, Trim } from './media-commands';

/** Room kept between the limiter's sample-peak ceiling and the true-peak target (inter-sample and MP3 overshoot). */
export const LIMITER_MARGIN_DB = 1;
/** Silence kept before the first and after the last sound, so speech does not start abruptly. */
export const TRIM_PAD_SECONDS = 0.1;
/** A rendition this close to the target needs no corrective pass. */
export const LOUDNESS_TOLERANCE_LU = 0.5;
export const MIN_SILENCE_SECONDS = 0.3;
/** Above this peak (dBFS) an upload has something to broadcast. */
export const AUDIBLE_PEAK_DBFS = -60;
/** ebur128 reports this integrated loudness (never -inf) when no block rose above its absolute gate. */
export const EBUR128_ABSOLUTE_GATE_LUFS = -70;

export class SilentAudioError extends Error {
  constructor() {
    super('the audio is silent from start to end');
  }
}

/** Silence is relative to the recording's own peak, so a quiet phone recording is not mistaken for silence. */
export function silenceThresholdDb(peakDbfs: number): number {
  return Math.min(-45, Math.max(-70, peakDbfs - 40));
}

/** Where audible content starts and ends; null when there is nothing to trim. */
export function trimFromSilences(silences: SilenceInterval[], durationSeconds: number): Trim | null {
  const atEdge = 0.05;
  const leading = silences.find((s) => s.startSeconds <= atEdge);
  const trailing = [...silences].reverse().find((s) => s.endSeconds === null || s.endSeconds >= durationSeconds - atEdge);
  if (leading && (leading.endSeconds === null || leading.endSeconds >= durationSeconds - atEdge)) {
    throw new SilentAudioError();
  }
  const start = leading?.endSeconds != null ? Math.max(0, leading.endSeconds - TRIM_PAD_SECONDS) : 0;
  const end = trailing && trailing !== leading ? Math.min(durationSeconds, trailing.startSeconds + TRIM_PAD_SECONDS) : durationSeconds;
  if (start <= 0 && end >= durationSeconds) return null;
  return { startSeconds: start, endSeconds: end };
}

export interface RenderSettings {
  sampleRate: number;
  bitrateKbps: number;
}

/** First render from the analysis: linear gain to the target, compression only when the range is too wide. */
export function initialRenderPlan(measured: LoudnessMeasurement, target: LoudnessTarget, trim: Trim | null, settings: RenderSettings): RenderPlan {
  if (!(measured.integratedLufs > EBUR128_ABSOLUTE_GATE_LUFS)) throw new SilentAudioError();
  const gainDb = target.integratedLufs - measured.integratedLufs;
  const compression = measured.rangeLu > target.rangeLu ? { thresholdDb: measured.integratedLufs, ratio: Math.min(4, measured.rangeLu / target.rangeLu) } : null;
  const ceiling = target.truePeakDbtp - LIMITER_MARGIN_DB;
  const peakAfterGain = measured.peakDb + gainDb;
  return {
    trim,
    compression,
    gainDb,
    // The compressor only lowers peaks, so the gain alone decides whether the ceiling can be reached.
    limiterCeilingDb: peakAfterGain > ceiling ? ceiling : null,
    ...settings,
  };
}

/** How far above the planned gain the second dry run goes, to see how the limiter bends loudness. */
export const CALIBRATION_STEP_DB = 2;

export interface LoudnessTrial {
  gainDb: number;
  integratedLufs: number;
}

/**
 * The gain for the next trial: a secant step through the last two trials, since limiting makes loudness grow
 * more slowly than gain. The slope is kept between 0.2 and 1 so one odd measurement cannot send it astray.
 */
export function nextTrialGain(trials: LoudnessTrial[], targetLufs: number): number {
  const last = trials[trials.length - 1];
  const previous = trials[trials.length - 2];
  let slope = 1;
  if (previous && last.gainDb !== previous.gainDb) {
    slope = (last.integratedLufs - previous.integratedLufs) / (last.gainDb - previous.gainDb);
  }
  return last.gainDb + (targetLufs - last.integratedLufs) / Math.min(1, Math.max(0.2, slope));
}

/** Whether a measured rendition meets the target: loudness within tolerance and true peak at or under the ceiling. */
export function meetsTarget(output: LoudnessMeasurement, target: LoudnessTarget, toleranceLu = LOUDNESS_TOLERANCE_LU): boolean {
  return Math.abs(output.integratedLufs - target.integratedLufs) <= toleranceLu && output.peakDb <= target.truePeakDbtp;
}

/** A corrected plan from what the last render measured (compression and limiting move loudness). */
export function correctedRenderPlan(previous: RenderPlan, output: LoudnessMeasurement, target: LoudnessTarget): RenderPlan {
  const loudnessError = target.integratedLufs - output.integratedLufs;
  const peakOvershoot = Math.max(0, output.peakDb - target.truePeakDbtp);
  const ceiling = previous.limiterCeilingDb ?? target.truePeakDbtp - LIMITER_MARGIN_DB;
  const needsLimiter = previous.limiterCeilingDb !== null || peakOvershoot > 0 || loudnessError > 0;
  return {
    ...previous,
    gainDb: previous.gainDb + loudnessError,
    limiterCeilingDb: needsLimiter ? ceiling - peakOvershoot : null,
  };
}
