import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { FfmpegAdapter } from '../media/ffmpeg.adapter';
import { LoudnessMeasurement, parseEbur128Summary, parseProbe, parseSilences } from '../media/ffmpeg-output';
import {
  correctedRenderPlan,
  initialRenderPlan,
  meetsTarget,
  MIN_SILENCE_SECONDS,
  silenceThresholdDb,
  trimFromSilences,
} from '../media/loudness-plan';
import { analysisInvocation, measurementInvocation, RenderPlan, renderInvocation } from '../media/media-commands';
import { AudioStore } from '../storage/audio-store';
import { BulletinAction, BulletinStatus, nextStatus } from './bulletin-status';
import { Bulletin } from './bulletin.entity';

/** Corrective renders allowed when compression or limiting moved the loudness off target. */
const MAX_CORRECTIONS = 2;

export interface Rendition {
  sha256: string;
  bytes: number;
  durationSeconds: number;
  output: LoudnessMeasurement;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The loudness pipeline: measure (ebur128 + silencedetect), render with a computed gain, measure the result,
 * correct if needed. The rendition is written under tmp/ and only renamed into the store once complete.
 */
@Injectable()
export class BulletinRenderer {
  private readonly logger = new Logger(BulletinRenderer.name);

  constructor(
    @InjectRepository(Bulletin) private readonly bulletins: Repository<Bulletin>,
    private readonly ffmpeg: FfmpegAdapter,
    private readonly store: AudioStore,
    private readonly config: AppConfig,
  ) {}

  /** Renders a bulletin that is still processing; returns false when there was nothing to do. */
  async render(bulletinId: string, signal?: AbortSignal): Promise<boolean> {
    const bulletin = await this.bulletins.findOneBy({ id: bulletinId });
    if (!bulletin || bulletin.status !== BulletinStatus.Processing) return false;

    const original = this.store.pathOf('originals', bulletin.originalSha256);
    const analysis = await this.analyse(original, bulletin.originalPeakDbfs, signal);
    const originalSeconds = bulletin.originalDurationMs / 1000;
    const trim = trimFromSilences(analysis.silences, originalSeconds);
    const plan = initialRenderPlan(analysis.loudness, this.config.audio.loudness, trim, {
      sampleRate: this.config.audio.renditionSampleRate,
      bitrateKbps: this.config.audio.renditionBitrateKbps,
    });
    const rendition = await this.renderBest(original, plan, signal);

    await this.bulletins.update(
      { id: bulletinId, status: BulletinStatus.Processing },
      {
        status: nextStatus(bulletin.status, BulletinAction.FinishProcessing),
        statusReason: null,
        inputLufs: analysis.loudness.integratedLufs,
        inputLra: analysis.loudness.rangeLu,
        inputTruePeakDbtp: finiteOr(analysis.loudness.truePeakDbtp, -99),
        trimStartMs: Math.round((trim?.startSeconds ?? 0) * 1000),
        trimEndMs: Math.round((originalSeconds - (trim?.endSeconds ?? originalSeconds)) * 1000),
        renditionSha256: rendition.sha256,
        renditionBytes: rendition.bytes,
        durationMs: Math.round(rendition.durationSeconds * 1000),
        sampleRate: plan.sampleRate,
        bitrateKbps: plan.bitrateKbps,
        outputLufs: rendition.output.integratedLufs,
        outputLra: rendition.output.rangeLu,
        outputTruePeakDbtp: rendition.output.truePeakDbtp,
        processedAt: new Date(),
      },
    );
    this.logger.log({ bulletinId, ...rendition.output, sha256: rendition.sha256 }, 'Bulletin rendered');
    return true;
  }

  /** Marks a bulletin failed with a reason people can act on. */
  async fail(bulletinId: string, reason: string): Promise<void> {
    await this.bulletins.update(
      { id: bulletinId, status: BulletinStatus.Processing },
      { status: nextStatus(BulletinStatus.Processing, BulletinAction.FailProcessing), statusReason: reason },
    );
  }

  private async analyse(original: string, peakDbfs: number, signal?: AbortSignal) {
    const stderr = await this.ffmpeg.run(analysisInvocation(original, silenceThresholdDb(peakDbfs), MIN_SILENCE_SECONDS), signal);
    return { loudness: parseEbur128Summary(stderr), silences: parseSilences(stderr) };
  }

  private async renderBest(original: string, firstPlan: RenderPlan, signal?: AbortSignal): Promise<Rendition> {
    const target = this.config.audio.loudness;
    let plan = firstPlan;
    for (let correction = 0; ; correction++) {
      const temp = this.store.temporaryPath('.mp3');
      try {
        await this.ffmpeg.run(renderInvocation(original, plan, temp), signal);
        const output = parseEbur128Summary(await this.ffmpeg.run(measurementInvocation(temp), signal));
        if (meetsTarget(output, target) || correction === MAX_CORRECTIONS) {
          if (!meetsTarget(output, target)) {
            this.logger.warn({ output, target }, 'Rendition kept after the last correction, off target');
          }
          return await this.keep(temp, output);
        }
        plan = correctedRenderPlan(plan, output, target);
      } finally {
        await this.store.discard(temp);
      }
    }
  }

  private async keep(temp: string, output: LoudnessMeasurement): Promise<Rendition> {
    const probe = parseProbe(await this.ffmpeg.probe(temp));
    const sha256 = await sha256Of(temp);
    const bytes = (await stat(temp)).size;
    await this.store.adopt(temp, 'renditions', sha256);
    return { sha256, bytes, durationSeconds: probe.audio?.durationSeconds ?? probe.durationSeconds ?? 0, output };
  }
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}
