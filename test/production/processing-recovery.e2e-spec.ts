import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueName } from '../../src/queue/queue.constants';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { firstTopicId, uploadBulletin } from '../support/bulletin-client';
import { startTestApp, TestApp } from '../support/test-app';
import { until } from '../playbacks/faults-kit';

/**
 * A process killed while rendering leaves its bulletin `processing` in PostgreSQL and, once Redis lost it or the job
 * was dropped, no render job anywhere. The next start queues its render again from PostgreSQL, and it becomes
 * `ready`. The upload goes through an API-only process (no worker renders it); the "killed" state is then written
 * straight into the database and the queue, as such a process leaves them.
 */
describe('Production path: a bulletin left processing is rendered at the next start', () => {
  let uploader: TestApp;
  let restarted: TestApp | undefined;
  let fixtures: string;

  beforeAll(async () => {
    uploader = await startTestApp({ ROLE: 'api' });
    fixtures = await mkdtemp(join(tmpdir(), 'loa-recovery-'));
  });

  afterAll(async () => {
    await restarted?.close();
    await uploader?.close();
    await rm(fixtures, { recursive: true, force: true });
  });

  it('queues its render again at start and the bulletin becomes ready', async () => {
    const file = await makeAudio(fixtures, 'tin-bi-bo-do.mp3', { source: speechLike(6, 7), output: ['-c:a', 'libmp3lame', '-b:a', '64k'] });
    const editor = uploader.people.editor;
    const uploaded = await uploadBulletin(editor, file, { title: 'Bản tin bị bỏ dở', topic: await firstTopicId(editor) });
    expect(uploaded.status).toBe(201);
    const id = uploaded.body.id as string;

    // As a worker killed mid-render leaves it: `processing` in PostgreSQL, and its job gone from Redis.
    await uploader.dataSource.query(`UPDATE bulletins SET status = 'processing' WHERE id = $1 AND status = 'queued'`, [id]);
    const audioQueue = uploader.app.get<Queue>(getQueueToken(QueueName.Audio));
    await audioQueue.obliterate({ force: true });
    expect(await audioQueue.getJob(`render-${id}`)).toBeUndefined();

    // The next start: same database and audio store, the API and the workers in one process.
    restarted = await startTestApp({ ROLE: 'all', AUDIO_DIR: uploader.audioDir });
    const ready = await until(
      async () => {
        const [row] = (await restarted!.dataSource.query(
          'SELECT status, rendition_sha256 AS "renditionSha256", duration_ms AS "durationMs" FROM bulletins WHERE id = $1',
          [id],
        )) as Array<{ status: string; renditionSha256: string | null; durationMs: number | null }>;
        return row.status === 'processing' ? null : row;
      },
      90_000,
      'the bulletin rendered after the restart',
    );

    expect(ready.status).toBe('ready');
    expect(ready.durationMs).toBeGreaterThan(5_000);
    await expect(access(join(uploader.audioDir, 'renditions', ready.renditionSha256!.slice(0, 2), `${ready.renditionSha256}.mp3`))).resolves.toBeUndefined();
  }, 150_000);
});
