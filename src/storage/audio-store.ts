import { Injectable, OnModuleInit } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { link, mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';

export type AudioKind = 'originals' | 'renditions';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Temporary files older than this belong to a crashed process. */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/**
 * Content-addressed audio files under AUDIO_DIR: `originals/ab/<sha256>` and `renditions/ab/<sha256>.mp3`.
 * Files are written under `tmp/` and renamed into place, so a stored file is always complete.
 */
@Injectable()
export class AudioStore implements OnModuleInit {
  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    await mkdir(this.tempDir, { recursive: true });
    await this.removeStaleTemporaries();
  }

  get tempDir(): string {
    return join(this.config.audio.dir, 'tmp');
  }

  /** A fresh path under tmp/, on the same file system as the store so that `adopt` is a rename. */
  temporaryPath(suffix = ''): string {
    return join(this.tempDir, `${randomUUID()}${suffix}`);
  }

  pathOf(kind: AudioKind, sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    const name = kind === 'renditions' ? `${sha256}.mp3` : sha256;
    return join(this.config.audio.dir, kind, sha256.slice(0, 2), name);
  }

  /** Moves a finished temporary file into the store; a file with the same content already there is kept. */
  async adopt(temporary: string, kind: AudioKind, sha256: string): Promise<string> {
    const target = this.pathOf(kind, sha256);
    await mkdir(join(target, '..'), { recursive: true });
    try {
      // link() fails if the target exists, so a concurrent identical upload never replaces a file being read.
      await link(temporary, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    await unlink(temporary);
    return target;
  }

  async exists(kind: AudioKind, sha256: string): Promise<boolean> {
    return stat(this.pathOf(kind, sha256)).then(() => true, () => false);
  }

  async size(kind: AudioKind, sha256: string): Promise<number> {
    return (await stat(this.pathOf(kind, sha256))).size;
  }

  read(kind: AudioKind, sha256: string, range?: { start: number; end: number }): NodeJS.ReadableStream {
    return createReadStream(this.pathOf(kind, sha256), range);
  }

  async discard(temporary: string): Promise<void> {
    await unlink(temporary).catch(() => undefined);
  }

  private async removeStaleTemporaries(): Promise<void> {
    const now = Date.now();
    for (const name of await readdir(this.tempDir)) {
      const path = join(this.tempDir, name);
      const info = await stat(path).catch(() => null);
      if (info && now - info.mtimeMs > STALE_TEMP_MS) await this.discard(path);
    }
  }
}

