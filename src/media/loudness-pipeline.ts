import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { AppConfig } from '../config/app-config';
import { AudioStore } from '../storage/audio-store';
import { FfmpegAdapter } from './ffmpeg.adapter';
import { LoudnessMeasurement, parseEbur128Summary, parseIntegratedLoudness, parseProbe, parseSilences } from './ffmpeg-output';
import {
  CALIBRATION_STEP_DB,
  correctedRenderPlan,
  initialRenderPlan,
  LoudnessTrial,
  meetsTarget,
  MIN_SILENCE_SECONDS,
  nextTrialGain,
  silenceThresholdDb,
  trimFromSilences,
} from './loudness-plan';
import { analysisInvocation, measurementInvocation, RenderPlan, renderInvocation, trialInvocation, Trim } from './media-commands';

/** Corrective renders allowed when the rendition still misses the target (rare once calibrated). */
const MAX_CORRECTIONS = 1;

export interface SourceAudio {
  path: string;
  durationSeconds: number;
  peakDbfs: number;
}

export interface Rendition {
  sha256: string;
  bytes: number;
  durationSeconds: number;
  sampleRate: number;
  bitrateKbps: number;
  input: LoudnessMeasurement;
  output: LoudnessMeasurement;
  trim: Trim | null;
  renders: number;
  trials: number;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Two-pass EBU R128 normalisation: measure (ebur128 + silencedetect), then render with a computed gain and
 * measure the MP3. When a limiter or compressor is needed it lowers loudness, so two cheap dry runs find the
 * right gain first. The rendition is written under tmp/ and only moved into the
 * store once complete, so no partial file is ever visible.
 */
@Injectable()
export class LoudnessPipeline {
  private readonly logger = new Logger(LoudnessPipeline.name);

  constructor(
    private readonly ffmpeg: FfmpegAdapter,
    private readonly store: AudioStore,
    private readonly config: AppConfig,
  ) {}

  async normalise(source: SourceAudio, signal?: AbortSignal): Promise<Rendition> {
    const analysis = await this.ffmpeg.run(analysisInvocation(source.path, silenceThresholdDb(source.peakDbfs), MIN_SILENCE_SECONDS), signal);
    const input = parseEbur128Summary(analysis);
    const trim = trimFromSilences(parseSilences(analysis), source.durationSeconds);
    const firstPlan = initialRenderPlan(input, this.config.audio.loudness, trim, {
      sampleRate: this.config.audio.renditionSampleRate,
      bitrateKbps: this.config.audio.renditionBitrateKbps,
    });
    const linear = firstPlan.limiterCeilingDb === null && firstPlan.compression === null;
    const { plan, trials } = linear ? { plan: firstPlan, trials: 0 } : await this.calibrate(source.path, firstPlan, signal);
    return this.renderBest(source.path, plan, input, trials, signal);
  }

  /**
   * Two dry runs side by side (one ffmpeg each, so both cores work) at the planned gain and a little above:
   * the secant through them gives the gain that lands on the target despite the limiter or compressor.
   */
  private async calibrate(original: string, plan: RenderPlan, signal?: AbortSignal): Promise<{ plan: RenderPlan; trials: number }> {
    const targetLufs = this.config.audio.loudness.integratedLufs;
    const gains = [plan.gainDb, plan.gainDb + CALIBRATION_STEP_DB];
    const trials: LoudnessTrial[] = await Promise.all(
      gains.map(async (gainDb) => ({
        gainDb,
        integratedLufs: parseIntegratedLoudness(await this.ffmpeg.run(trialInvocation(original, { ...plan, gainDb }), signal)),
      })),
    );
    return { plan: { ...plan, gainDb: nextTrialGain(trials, targetLufs) }, trials: trials.length };
  }

  private async renderBest(original: string, firstPlan: RenderPlan, input: LoudnessMeasurement, trials: number, signal?: AbortSignal): Promise<Rendition> {
    const target = this.config.audio.loudness;
    let plan = firstPlan;
    for (let renders = 1; ; renders++) {
      const temp = this.store.temporaryPath('.mp3');
      try {
        await this.ffmpeg.run(renderInvocation(original, plan, temp), signal);
        const output = parseEbur128Summary(await this.ffmpeg.run(measurementInvocation(temp), signal));
        const onTarget = meetsTarget(output, target);
        if (onTarget || renders > MAX_CORRECTIONS) {
          if (!onTarget) this.logger.warn({ output, target }, 'Rendition kept after the last correction, off target');
          return await this.keep(temp, plan, { input, output, renders, trials });
        }
        plan = correctedRenderPlan(plan, output, target);
      } finally {
        await this.store.discard(temp);
      }
    }
  }

  private async keep(
    temp: string,
    plan: RenderPlan,
    measured: { input: LoudnessMeasurement; output: LoudnessMeasurement; renders: number; trials: number },
  ): Promise<Rendition> {
    const probe = parseProbe(await this.ffmpeg.probe(temp));
    const sha256 = await sha256Of(temp);
    const bytes = (await stat(temp)).size;
    await this.store.adopt(temp, 'renditions', sha256);
    return {
      sha256,
      bytes,
      durationSeconds: probe.audio?.durationSeconds ?? probe.durationSeconds ?? 0,
      sampleRate: plan.sampleRate,
      bitrateKbps: plan.bitrateKbps,
      trim: plan.trim,
      ...measured,
    };
  }
}
