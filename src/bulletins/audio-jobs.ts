import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AudioJobName, AudioJobPayloads, QueueName } from '../queue/queue.constants';

export const RENDER_ATTEMPTS = 3;

/** Produces audio jobs. Job ids are derived from the bulletin, so queuing twice is harmless. */
@Injectable()
export class AudioJobs {
  constructor(@InjectQueue(QueueName.Audio) private readonly queue: Queue) {}

  async queueRender(bulletinId: string): Promise<void> {
    const payload: AudioJobPayloads[AudioJobName.RenderBulletin] = { bulletinId };
    await this.queue.add(AudioJobName.RenderBulletin, payload, {
      jobId: `render-${bulletinId}`,
      attempts: RENDER_ATTEMPTS,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }
}
