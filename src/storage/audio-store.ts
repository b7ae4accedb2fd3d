import { Injectable, OnModuleInit } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { link, mkdir, stat, unlink } from 'node:fs/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';

export type AudioKind = 'originals' | 'renditions';

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** `<owner>-<uuid><suffix>`: a temporary file's name starts with the id of the process that writes it. */
const OWNED_TEMPORARY = /^([0-9a-f]{16})-/;

/** The id of the process that wrote a temporary file, from its name; null for a name of another form. */
export function temporaryOwner(name: string): string | null {
  return OWNED_TEMPORARY.exec(name)?.[1] ?? null;
}

/**
 * Content-addressed audio files under AUDIO_DIR: `originals/ab/<sha256>` and `renditions/ab/<sha256>.mp3`.
 * Files are written under `tmp/` and renamed into place, so a stored file is always complete. Temporary files are
 * named after this process (`ownerId`), so that those of a process that died can be told apart and swept
 * (storage/temporary-file-sweeper.ts).
 */
@Injectable()
export class AudioStore implements OnModuleInit {
  /** 64 random bits, fresh for every process. */
  readonly ownerId = randomBytes(8).toString('hex');

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    await mkdir(this.tempDir, { recursive: true });
  }

  get tempDir(): string {
    return join(this.config.audio.dir, 'tmp');
  }

  /** A fresh path under tmp/, owned by this process, on the same file system as the store so that `adopt` is a rename. */
  temporaryPath(suffix = ''): string {
    return join(this.tempDir, `${this.ownerId}-${randomUUID()}${suffix}`);
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
    return stat(this.pathOf(kind, sha256)).then(
      () => true,
      () => false,
    );
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
}
