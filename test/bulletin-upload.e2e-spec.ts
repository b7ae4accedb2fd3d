import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstTopicId, uploadBulletin, waitUntilProcessed } from './support/bulletin-client';
import { makeAudio, measure, speechLike } from './support/audio-fixtures';
import { startTestApp, TestApp } from './support/test-app';

describe('Uploading a bulletin (real PostgreSQL, Redis, ffmpeg)', () => {
  let loa: TestApp;
  let fixtures: string;
  let topic: string;

  beforeAll(async () => {
    loa = await startTestApp();
    fixtures = await mkdtemp(join(tmpdir(), 'loa-fixtures-'));
    topic = await firstTopicId(loa.url);
  });

  afterAll(async () => {
    await loa?.close();
    await rm(fixtures, { recursive: true, force: true });
  });

  it('turns an MP3 into a ready rendition at the loudness target', async () => {
    const file = await makeAudio(fixtures, 'speech.mp3', { source: speechLike(20, 1), output: ['-c:a', 'libmp3lame', '-b:a', '128k'] });
    const created = await uploadBulletin(loa.url, file, { title: 'Thông báo lịch tiêm chủng', topic });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('processing');
    const done = await waitUntilProcessed(loa.url, created.body.id as string);
    expect(done.status).toBe('ready');

    const response = await fetch(`${loa.url}/api/bulletins/${done.id}/audio`);
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    const rendition = join(fixtures, 'rendition.mp3');
    await import('node:fs/promises').then((fs) => response.arrayBuffer().then((bytes) => fs.writeFile(rendition, Buffer.from(bytes))));
    const measured = await measure(rendition);
    expect(Math.abs(measured.integratedLufs - -16)).toBeLessThanOrEqual(1);
    expect(measured.truePeakDbtp).toBeLessThanOrEqual(-1.5);
    expect(measured.channels).toBe(1);
  });
});
