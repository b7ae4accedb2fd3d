import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { FfmpegAdapter } from '../media/ffmpeg.adapter';
import { QueueName } from '../queue/queue.constants';

export interface DependencyCheck {
  ok: boolean;
  error?: string;
}

export interface HealthReport {
  ok: boolean;
  checks: Record<'database' | 'redis' | 'ffmpeg', DependencyCheck>;
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

/** Whether PostgreSQL, Redis and ffmpeg are usable right now. */
@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Audio) private readonly audioQueue: Queue,
    private readonly ffmpeg: FfmpegAdapter,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, redis, ffmpeg] = await Promise.all([
      check('PostgreSQL', () => this.dataSource.query('SELECT 1')),
      check('Redis', async () => ((await this.audioQueue.client) as unknown as Redis).ping()),
      check('ffmpeg', () => this.ffmpeg.version()),
    ]);
    return { ok: database.ok && redis.ok && ffmpeg.ok, checks: { database, redis, ffmpeg } };
  }
}
