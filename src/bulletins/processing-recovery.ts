import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AudioJobs } from './audio-jobs';
import { BulletinStatus } from './bulletin-status';
import { Bulletin } from './bulletin.entity';

/**
 * PostgreSQL is the source of truth: at start, every bulletin still queued or processing gets its render job again.
 * Job ids are deterministic, so a job Redis still holds is not duplicated; one Redis lost is rebuilt.
 */
@Injectable()
export class ProcessingRecovery implements OnApplicationBootstrap {
  private readonly logger = new Logger(ProcessingRecovery.name);

  constructor(
    @InjectRepository(Bulletin) private readonly bulletins: Repository<Bulletin>,
    private readonly jobs: AudioJobs,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: the API must start (and report Redis in /api/health) even while Redis is down.
    this.requeue().catch((error: unknown) => this.logger.error({ err: error }, 'Could not queue pending renders again'));
  }

  private async requeue(): Promise<void> {
    const pending = await this.bulletins.find({ where: { status: In([BulletinStatus.Queued, BulletinStatus.Processing]) }, select: { id: true } });
    for (const { id } of pending) await this.jobs.queueRender(id);
    if (pending.length > 0) this.logger.log({ count: pending.length }, 'Render jobs queued again for bulletins still queued or processing');
  }
}
