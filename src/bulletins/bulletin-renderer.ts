import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { LoudnessPipeline } from '../media/loudness-pipeline';
import { AudioStore } from '../storage/audio-store';
import { allowedFrom, BulletinAction, BulletinStatus, nextStatus } from './bulletin-status';
import { Bulletin } from './bulletin.entity';

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/** Turns a queued bulletin into a processing, then a ready one (or a failed one, with a reason). */
@Injectable()
export class BulletinRenderer {
  private readonly logger = new Logger(BulletinRenderer.name);

  constructor(
    @InjectRepository(Bulletin) private readonly bulletins: Repository<Bulletin>,
    private readonly pipeline: LoudnessPipeline,
    private readonly store: AudioStore,
  ) {}

  /**
   * Renders a bulletin that is queued (or still processing: a retry after a worker died); returns false when there
   * was nothing to do.
   */
  async render(bulletinId: string, signal?: AbortSignal): Promise<boolean> {
    const bulletin = await this.bulletins.findOneBy({ id: bulletinId });
    if (!bulletin) return false;
    if (bulletin.status === BulletinStatus.Queued) {
      bulletin.status = nextStatus(bulletin.status, BulletinAction.StartProcessing);
      await this.bulletins.update({ id: bulletinId, status: BulletinStatus.Queued }, { status: bulletin.status });
    }
    if (bulletin.status !== BulletinStatus.Processing) return false;

    const originalSeconds = bulletin.originalDurationMs / 1000;
    const rendition = await this.pipeline.normalise(
      { path: this.store.pathOf('originals', bulletin.originalSha256), durationSeconds: originalSeconds, peakDbfs: bulletin.originalPeakDbfs },
      signal,
    );
    await this.bulletins.update(
      { id: bulletinId, status: BulletinStatus.Processing },
      {
        status: nextStatus(bulletin.status, BulletinAction.FinishProcessing),
        statusReason: null,
        inputLufs: rendition.input.integratedLufs,
        inputLra: rendition.input.rangeLu,
        inputPeakDbfs: finiteOr(rendition.input.peakDb, -99),
        trimStartMs: Math.round((rendition.trim?.startSeconds ?? 0) * 1000),
        trimEndMs: Math.round((originalSeconds - (rendition.trim?.endSeconds ?? originalSeconds)) * 1000),
        renditionSha256: rendition.sha256,
        renditionBytes: rendition.bytes,
        durationMs: Math.round(rendition.durationSeconds * 1000),
        sampleRate: rendition.sampleRate,
        bitrateKbps: rendition.bitrateKbps,
        outputLufs: rendition.output.integratedLufs,
        outputLra: rendition.output.rangeLu,
        outputTruePeakDbtp: rendition.output.peakDb,
        processedAt: new Date(),
      },
    );
    this.logger.log({ bulletinId, output: rendition.output, renders: rendition.renders, sha256: rendition.sha256 }, 'Bulletin rendered');
    return true;
  }

  /** Marks a bulletin failed with a reason people can act on. */
  async fail(bulletinId: string, reason: string): Promise<void> {
    await this.bulletins.update(
      { id: bulletinId, status: In(allowedFrom(BulletinAction.FailProcessing)) },
      { status: nextStatus(BulletinStatus.Processing, BulletinAction.FailProcessing), statusReason: reason },
    );
  }
}
