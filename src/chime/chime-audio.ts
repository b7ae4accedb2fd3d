import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { FfmpegAdapter } from '../media/ffmpeg.adapter';
import { LoudnessPipeline } from '../media/loudness-pipeline';
import { parseMaxVolumeDb } from '../media/ffmpeg-output';
import { inspectionInvocation, toneInvocation } from '../media/media-commands';
import { LOA_LOCK_NAMESPACE } from '../speakers/health/advisory-lock';
import { AudioStore } from '../storage/audio-store';
import { ChimeRenditionRecord } from './chime-rendition.entity';
import { CHIME_SOURCE_MS, chimeGraph } from './chime-tones';

/** The chime as a driver plays it: a rendition in the audio store, like a bulletin's. */
export interface ChimeRendition {
  sha256: string;
  durationMs: number;
}

/** Serialises rendering across processes, so the chime is rendered once, not once per process that wants it. */
const CHIME_LOCK = [LOA_LOCK_NAMESPACE, 3] as const;

/**
 * The pre-announcement chime (nhạc hiệu báo trước) played before a schedule's first bulletin when `chime` is on.
 * Synthesised with ffmpeg and rendered through the same loudness pipeline as bulletins, so it is exactly as loud
 * as the bulletins after it. Rendered once per recipe and deployment: the first process to need it renders it
 * under an advisory lock and records it in `chime_renditions`; every other process finds it there. A record
 * whose file is missing from this process's audio store (a new volume) is rendered again.
 */
@Injectable()
export class ChimeAudio {
  private readonly logger = new Logger(ChimeAudio.name);
  private ready: Promise<ChimeRendition> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ffmpeg: FfmpegAdapter,
    private readonly pipeline: LoudnessPipeline,
    private readonly store: AudioStore,
    private readonly config: AppConfig,
  ) {}

  /** The chime's rendition, rendering it first if no process has yet. */
  rendition(): Promise<ChimeRendition> {
    // A failure is not remembered: the next call tries again.
    this.ready ??= this.findOrRender().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  /** What the chime is made of and rendered to: any change makes another chime. */
  get recipe(): string {
    const { loudness, renditionSampleRate, renditionBitrateKbps } = this.config.audio;
    return createHash('sha256')
      .update(JSON.stringify([chimeGraph(), loudness, renditionSampleRate, renditionBitrateKbps]))
      .digest('hex');
  }

  private async findOrRender(): Promise<ChimeRendition> {
    const recipe = this.recipe;
    const known = await this.usable(await this.dataSource.getRepository(ChimeRenditionRecord).findOneBy({ recipe }));
    if (known) return known;
    return this.dataSource.transaction(async (manager) => {
      // Waits while another process renders; then finds its record.
      await manager.query('SELECT pg_advisory_xact_lock($1, $2)', [...CHIME_LOCK]);
      const rendered = await this.usable(await manager.getRepository(ChimeRenditionRecord).findOneBy({ recipe }));
      if (rendered) return rendered;
      const record = await this.render(recipe);
      await manager.getRepository(ChimeRenditionRecord).upsert(record, ['recipe']);
      this.logger.log({ sha256: record.sha256, durationMs: record.durationMs, integratedLufs: record.integratedLufs }, 'Chime rendered');
      return { sha256: record.sha256, durationMs: record.durationMs };
    });
  }

  private async usable(record: ChimeRenditionRecord | null): Promise<ChimeRendition | null> {
    if (!record || !(await this.store.exists('renditions', record.sha256))) return null;
    return { sha256: record.sha256, durationMs: record.durationMs };
  }

  private async render(recipe: string): Promise<Omit<ChimeRenditionRecord, 'createdAt'>> {
    const source = this.store.temporaryPath('.wav');
    try {
      await this.ffmpeg.run(toneInvocation(chimeGraph(), source));
      const peakDbfs = parseMaxVolumeDb(await this.ffmpeg.run(inspectionInvocation(source, CHIME_SOURCE_MS / 1000))) ?? 0;
      const rendition = await this.pipeline.normalise({ path: source, durationSeconds: CHIME_SOURCE_MS / 1000, peakDbfs });
      return {
        recipe,
        sha256: rendition.sha256,
        durationMs: Math.round(rendition.durationSeconds * 1000),
        integratedLufs: rendition.output.integratedLufs,
        truePeakDbtp: rendition.output.peakDb,
      };
    } finally {
      await this.store.discard(source);
    }
  }
}
