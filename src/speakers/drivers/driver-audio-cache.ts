import { Injectable, Logger } from '@nestjs/common';
import { link, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { FfmpegAdapter } from '../../media/ffmpeg.adapter';
import { mulawInvocation } from '../../media/media-commands';
import { AudioStore } from '../../storage/audio-store';
import type { DriverAudioFormat } from './speaker-driver';

const SHA256_HEX = /^[0-9a-f]{64}$/;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The bulletin's rendition in the format a driver sends. Variants are made from the rendition once, stored as
 * `AUDIO_DIR/variants/<aa>/<renditionSha256>.<format>`, and reused by every playback.
 */
@Injectable()
export class DriverAudioCache {
  private readonly logger = new Logger(DriverAudioCache.name);
  /** Variants being made in this process: concurrent requests for one share its render. */
  private readonly rendering = new Map<string, Promise<string>>();

  constructor(
    private readonly config: AppConfig,
    private readonly ffmpeg: FfmpegAdapter,
    private readonly store: AudioStore,
  ) {}

  /** Path of the rendition `renditionSha256` in `format`, made first if needed. */
  pathFor(renditionSha256: string, format: DriverAudioFormat): Promise<string> {
    if (format === 'mp3') return Promise.resolve(this.store.pathOf('renditions', renditionSha256));
    const key = `${renditionSha256}.${format}`;
    let pending = this.rendering.get(key);
    if (!pending) {
      pending = this.ensure(renditionSha256, format).finally(() => this.rendering.delete(key));
      this.rendering.set(key, pending);
    }
    return pending;
  }

  variantPath(renditionSha256: string, format: Exclude<DriverAudioFormat, 'mp3'>): string {
    if (!SHA256_HEX.test(renditionSha256)) throw new Error(`not a SHA-256: ${renditionSha256}`);
    return join(this.config.audio.dir, 'variants', renditionSha256.slice(0, 2), `${renditionSha256}.${format}`);
  }

  private async ensure(renditionSha256: string, format: Exclude<DriverAudioFormat, 'mp3'>): Promise<string> {
    const target = this.variantPath(renditionSha256, format);
    if (await exists(target)) return target;
    if (!(await this.store.exists('renditions', renditionSha256))) {
      throw new Error(`The rendition ${renditionSha256} is not in the audio store; the bulletin must be processed again`);
    }
    const temporary = this.store.temporaryPath(`.${format}`);
    try {
      await this.ffmpeg.run(mulawInvocation(this.store.pathOf('renditions', renditionSha256), temporary));
      await mkdir(dirname(target), { recursive: true });
      // link() fails if another process finished first; its file is complete, so it is kept and ours dropped.
      await link(temporary, target).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
    } finally {
      await this.store.discard(temporary);
    }
    this.logger.log({ renditionSha256, format }, 'Driver audio variant made');
    return target;
  }
}
