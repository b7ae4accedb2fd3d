import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { AppConfig } from '../config/app-config';
import { AudioStore } from '../storage/audio-store';
import { FfmpegAdapter } from './ffmpeg.adapter';
import { LoudnessMeasurement, parseEbur128Summary, parseProbe, parseSilences } from './ffmpeg-output';
import {
  correctedRenderPlan,
  initialRenderPlan,
  meetsTarget,
  MIN_SILENCE_SECONDS,
  silenceThresholdDb,
  trimFromSilences,
} from './loudness-plan';
import { analysisInvocation, measurementInvocation, RenderPlan, renderInvocation, Trim } from './media-commands';

/** Corrective renders allowed when compression or limiting moved the loudness off target. */
const MAX_CORRECTIONS = 2;

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
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Two-pass EBU R128 normalisation: measure (ebur128 + silencedetect), render with a computed gain, measure
 * the MP3 as listeners get it, correct if compression or limiting moved it. The rendition is written under
 * tmp/ and only moved into the store once complete, so no partial file is ever visible.
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
    const analysis = await this.ffmpeg.run(
      analysisInvocation(source.path, silenceThresholdDb(source.peakDbfs), MIN_SILENCE_SECONDS),
      signal,
    );
    const input = parseEbur128Summary(analysis);
    const trim = trimFromSilences(parseSilences(analysis), source.durationSeconds);
    const firstPlan = initialRenderPlan(input, this.config.audio.loudness, trim, {
      sampleRate: this.config.audio.renditionSampleRate,
      bitrateKbps: this.config.audio.renditionBitrateKbps,
    });
    return this.renderBest(source.path, firstPlan, input, signal);
  }

  private async renderBest(original: string, firstPlan: RenderPlan, input: LoudnessMeasurement, signal?: AbortSignal): Promise<Rendition> {
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
          return await this.keep(temp, plan, input, output, renders);
        }
        plan = correctedRenderPlan(plan, output, target);
      } finally {
        await this.store.discard(temp);
      }
    }
  }

  private async keep(temp: string, plan: RenderPlan, input: LoudnessMeasurement, output: LoudnessMeasurement, renders: number): Promise<Rendition> {
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
      input,
      output,
      trim: plan.trim,
      renders,
    };
  }
}
