import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource, QueryRunner } from 'typeorm';
import { AudioStore, temporaryOwner } from './audio-store';

/** Temporary files not named after an owner (written before owners existed) are swept once this old. */
const UNOWNED_TEMPORARY_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** The owner id (16 hex digits) as the single 64-bit key of a PostgreSQL advisory lock. */
function lockKey(ownerId: string): string {
  return BigInt.asIntN(64, BigInt(`0x${ownerId}`)).toString();
}

/**
 * Several processes (API and workers, maybe on several hosts) share AUDIO_DIR/tmp. Each names its temporary files
 * after its owner id and holds, for its whole life, a session-level PostgreSQL advisory lock keyed by that id, on a
 * connection of its own. PostgreSQL drops the lock when the process dies (even by kill -9: its connection closes).
 * At start, each process removes the temporary files of every owner whose lock it can take, that is of every
 * process that is gone, whatever their age; a live process's files are never touched.
 */
@Injectable()
export class TemporaryFileSweeper implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TemporaryFileSweeper.name);
  private ownership: QueryRunner | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: AudioStore,
  ) {}

  async onModuleInit(): Promise<void> {
    this.ownership = await this.claim();
    await this.sweep(this.ownership);
  }

  async onApplicationShutdown(): Promise<void> {
    // Closing the connection is what gives the lock up; PostgreSQL may already have dropped it with the pool.
    await this.ownership?.release().catch(() => undefined);
    this.ownership = null;
  }

  private async claim(): Promise<QueryRunner> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [lockKey(this.store.ownerId)])) as [{ locked: boolean }];
    if (!locked) {
      await runner.release();
      throw new Error(`Another process already owns temporary files named ${this.store.ownerId}-…; start this one again`);
    }
    return runner;
  }

  /** Removes the temporary files of owners that are gone, and unowned ones older than a day. */
  private async sweep(runner: QueryRunner): Promise<void> {
    const gone = new Map<string, boolean>();
    let removed = 0;
    const now = Date.now();
    // AudioStore creates tmp/ in its own start hook, which may run alongside this one: none yet, nothing to sweep.
    const names = await readdir(this.store.tempDir).catch(() => [] as string[]);
    for (const name of names) {
      const owner = temporaryOwner(name);
      const path = join(this.store.tempDir, name);
      if (owner === this.store.ownerId) continue;
      if (owner === null) {
        const info = await stat(path).catch(() => null);
        if (!info || now - info.mtimeMs <= UNOWNED_TEMPORARY_MAX_AGE_MS) continue;
      } else {
        if (!gone.has(owner)) gone.set(owner, await this.isGone(runner, owner));
        if (!gone.get(owner)) continue;
      }
      await this.store.discard(path);
      removed += 1;
    }
    // Locks taken to prove an owner gone are given back: nobody will ever own those ids again.
    for (const [owner, isGone] of gone) {
      if (isGone) await runner.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(owner)]);
    }
    if (removed > 0) this.logger.log({ removed, owners: [...gone].filter(([, isGone]) => isGone).length }, 'Removed temporary files of processes that are gone');
  }

  private async isGone(runner: QueryRunner, owner: string): Promise<boolean> {
    const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [lockKey(owner)])) as [{ locked: boolean }];
    return locked;
  }
}
