import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { QueueName } from '../queue/queue.constants';
import { FfmpegAvailability } from './ffmpeg-availability';

export const DEPENDENCIES = ['database', 'redis', 'ffmpeg'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

export interface DependencyCheck {
  ok: boolean;
  /** Why it is not usable (for admins only: it may name hosts and paths). */
  error?: string;
  /** ffmpeg's first `-version` line (for admins only). */
  version?: string;
  /** When ffmpeg was last probed; PostgreSQL and Redis are asked at each check. */
  checkedAt?: Date;
}

export interface HealthReport {
  ok: boolean;
  checks: Record<Dependency, DependencyCheck>;
}

const CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, name: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${name} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
  ]);
}

async function check(name: string, probe: () => Promise<unknown>): Promise<DependencyCheck> {
  try {
    await withTimeout(probe(), name);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message.split('\n')[0] };
  }
}

/** Whether PostgreSQL, Redis and ffmpeg are usable: the first two asked now, ffmpeg as last probed. */
@Injectable()
export class HealthService {
  /** Callers that ask while a check runs share it: a flood of health checks is one query and one PING at a time. */
  private running: Promise<HealthReport> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Audio) private readonly audioQueue: Queue,
    private readonly ffmpeg: FfmpegAvailability,
  ) {}

  report(): Promise<HealthReport> {
    this.running ??= this.check().finally(() => (this.running = null));
    return this.running;
  }

  private async check(): Promise<HealthReport> {
    const [database, redis] = await Promise.all([
      check('PostgreSQL', () => this.dataSource.query('SELECT 1')),
      check('Redis', async () => ((await this.audioQueue.client) as unknown as Redis).ping()),
    ]);
    const ffmpeg = this.ffmpeg.last;
    return { ok: database.ok && redis.ok && ffmpeg.ok, checks: { database, redis, ffmpeg } };
  }
}
