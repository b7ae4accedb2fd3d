import { INestApplication, Logger } from '@nestjs/common';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegAdapter } from '../media/ffmpeg.adapter';
import { synthesisInvocation } from '../media/media-commands';
import { SAMPLE_BULLETINS, speechLikeSource } from './sample-bulletins';

interface Topic {
  id: string;
  name: string;
}

/**
 * Fills the demo commune through the public API, exactly as the culture office would: upload, then approve.
 * Running it again finds the same audio (409) and leaves the library as it is.
 */
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly app: INestApplication,
    private readonly baseUrl: string,
  ) {}

  async seed(): Promise<void> {
    const topics = (await (await fetch(`${this.baseUrl}/api/topics`)).json()) as Topic[];
    const dir = await mkdtemp(join(tmpdir(), 'loa-demo-'));
    try {
      for (const [index, sample] of SAMPLE_BULLETINS.entries()) {
        const file = join(dir, `sample-${index + 1}.mp3`);
        await this.app.get(FfmpegAdapter).run(synthesisInvocation(speechLikeSource(sample.seconds, index + 1), file));
        const topic = topics.find((candidate) => candidate.name === sample.topic) ?? topics[0];
        const id = await this.upload(file, sample.title, topic.id);
        if (sample.approve) await this.approveWhenReady(id);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async upload(file: string, title: string, topic: string): Promise<string> {
    const form = new FormData();
    form.append('title', title);
    form.append('topic', topic);
    form.append('file', await openAsBlob(file), `${title}.mp3`);
    const response = await fetch(`${this.baseUrl}/api/bulletins`, { method: 'POST', body: form });
    const body = (await response.json()) as { id?: string; bulletinId?: string; message?: string };
    if (response.status === 201 && body.id) return body.id;
    if (response.status === 409 && body.bulletinId) return body.bulletinId;
    throw new Error(`Demo upload "${title}" was refused: ${response.status} ${body.message}`);
  }

  private async approveWhenReady(id: string): Promise<void> {
    for (let waited = 0; waited < 120_000; waited += 500) {
      const bulletin = (await (await fetch(`${this.baseUrl}/api/bulletins/${id}`)).json()) as { status: string };
      if (bulletin.status === 'ready') {
        await fetch(`${this.baseUrl}/api/bulletins/${id}/approve`, { method: 'POST' });
        return;
      }
      if (bulletin.status !== 'processing') return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    this.logger.warn({ id }, 'Demo bulletin still processing; approve it later');
  }
}
