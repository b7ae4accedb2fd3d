import { Injectable, UnprocessableEntityException, UnsupportedMediaTypeException } from '@nestjs/common';
import pLimit from 'p-limit';
import { AppConfig } from '../config/app-config';
import { FfmpegAdapter, FfmpegFailure } from '../media/ffmpeg.adapter';
import { parseMaxVolumeDb, parseProbe, parseProcessedSeconds, ProbeResult } from '../media/ffmpeg-output';
import { inspectionInvocation } from '../media/media-commands';
import { AUDIBLE_PEAK_DBFS } from '../media/loudness-plan';
import { wavFileLayout } from './upload/wav-header';

export interface InspectedAudio {
  formatName: string;
  codec: string;
  sampleRate: number;
  channels: number;
  durationSeconds: number;
  peakDbfs: number;
}

const ACCEPTED_TYPES = 'MP3, WAV, M4A/AAC, OGG/Opus, FLAC, AMR, WMA, or a phone video (MP4, 3GP, WebM)';
/** Shorter than this is not a bulletin (and usually a broken header). */
const MIN_DURATION_SECONDS = 0.5;
/** How much less audio than declared we tolerate before calling a file truncated. */
const TRUNCATION_TOLERANCE_SECONDS = 1;

function minutes(seconds: number): string {
  return `${Math.round((seconds / 60) * 10) / 10} min`;
}

/**
 * Decides whether an uploaded file is usable audio, before anything is stored.
 * Answers 415 for what is not audio at all and 422 for audio that cannot go on air, with the reason.
 * At most AUDIO_PROBE_CONCURRENCY files are inspected at once in this process (each runs ffprobe, then one ffmpeg
 * decode): more uploads wait their turn, in order, instead of sharing the cores until each takes several times longer.
 */
@Injectable()
export class AudioInspector {
  private readonly slots: pLimit.Limit;

  constructor(
    private readonly ffmpeg: FfmpegAdapter,
    private readonly config: AppConfig,
  ) {
    this.slots = pLimit(config.audio.probeConcurrency);
  }

  async inspect(path: string, bytes: number): Promise<InspectedAudio> {
    if (bytes === 0) throw new UnprocessableEntityException('The file is empty');
    return this.slots(() => this.inspectNow(path, bytes));
  }

  private async inspectNow(path: string, bytes: number): Promise<InspectedAudio> {
    const probe = await this.probe(path);
    const audio = probe.audio;
    if (!audio) throw new UnprocessableEntityException('The file has no audio track');
    const declared = audio.durationSeconds ?? probe.durationSeconds;
    const max = this.config.audio.maxDurationSeconds;
    if (declared !== null && declared > max) {
      throw new UnprocessableEntityException(`The audio is ${minutes(declared)} long; a bulletin may be at most ${minutes(max)}`);
    }
    if (probe.formatName === 'wav') await this.checkWavLayout(path, bytes);

    const { decodedSeconds, peakDbfs } = await this.decode(path, max);
    if (decodedSeconds > max) {
      throw new UnprocessableEntityException(`The audio is longer than ${minutes(max)}, the limit for a bulletin`);
    }
    if (declared !== null && declared - decodedSeconds > TRUNCATION_TOLERANCE_SECONDS) {
      throw new UnprocessableEntityException(
        `The file is truncated or damaged: it declares ${declared.toFixed(1)} s of audio but only ${decodedSeconds.toFixed(1)} s could be decoded`,
      );
    }
    if (decodedSeconds < MIN_DURATION_SECONDS) {
      throw new UnprocessableEntityException(`The audio lasts ${decodedSeconds.toFixed(2)} s; a bulletin needs at least ${MIN_DURATION_SECONDS} s`);
    }
    if (peakDbfs < AUDIBLE_PEAK_DBFS) {
      throw new UnprocessableEntityException(
        `The audio is silent (its loudest moment is ${Number.isFinite(peakDbfs) ? peakDbfs.toFixed(0) : '-∞'} dBFS); check the recording`,
      );
    }
    return {
      formatName: probe.formatName,
      codec: audio.codec,
      sampleRate: audio.sampleRate,
      channels: audio.channels,
      durationSeconds: decodedSeconds,
      peakDbfs,
    };
  }

  private async checkWavLayout(path: string, bytes: number): Promise<void> {
    const layout = await wavFileLayout(path, bytes);
    if (layout.kind === 'truncated') {
      throw new UnprocessableEntityException('The WAV file is truncated or damaged: its header declares more audio than the file holds');
    }
    if (layout.kind === 'malformed') {
      throw new UnprocessableEntityException(`The WAV file is damaged: ${layout.reason}. Export it again from the recorder, or send it as MP3`);
    }
  }

  private async probe(path: string): Promise<ProbeResult> {
    try {
      return parseProbe(await this.ffmpeg.probe(path));
    } catch (error) {
      if (!(error instanceof FfmpegFailure)) throw error;
      throw new UnsupportedMediaTypeException(`The file is not audio that Loa can read. Accepted: ${ACCEPTED_TYPES}`);
    }
  }

  private async decode(path: string, maxSeconds: number): Promise<{ decodedSeconds: number; peakDbfs: number }> {
    let stderr: string;
    try {
      stderr = await this.ffmpeg.run(inspectionInvocation(path, maxSeconds));
    } catch (error) {
      if (!(error instanceof FfmpegFailure)) throw error;
      throw new UnprocessableEntityException('The audio could not be decoded; the file is damaged');
    }
    return { decodedSeconds: parseProcessedSeconds(stderr) ?? 0, peakDbfs: parseMaxVolumeDb(stderr) ?? -Infinity };
  }
}
