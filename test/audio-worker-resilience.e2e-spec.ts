import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeAudio, speechLike } from './support/audio-fixtures';
import { firstTopicId, getBulletin, uploadBulletin, waitUntilProcessed } from './support/bulletin-client';
import { Session } from './support/people';
import { startTestApp, TestApp } from './support/test-app';
import { WorkerProcess } from './support/worker-process';

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/**
 * The api and the workers run apart, as in production. Workers are real processes that the test kills or stops.
 */
describe('Audio jobs survive workers that die or stop', () => {
  let api: TestApp;
  let fixtures: string;
  let topic: string;
  let seed = 500;
  /** The commune's culture office: uploads and watches its bulletins (workers need no token). */
  let editor: Session;
  const workers: WorkerProcess[] = [];

  function startWorker(environment: Record<string, string> = {}): WorkerProcess {
    const worker = WorkerProcess.start({
      DATABASE_URL: api.config.database.url,
      AUDIO_DIR: api.audioDir,
      QUEUE_PREFIX: api.config.redis.queuePrefix,
      AUDIO_JOB_LOCK_SECONDS: '2',
      ...environment,
    });
    workers.push(worker);
    return worker;
  }

  /** A long upload, so that rendering takes long enough to be interrupted. */
  async function uploadLong(seconds = 300): Promise<string> {
    const file = await makeAudio(fixtures, `long-${seed}.wav`, { source: speechLike(seconds, seed++), output: ['-ac', '1', '-c:a', 'pcm_s16le'] });
    const created = await uploadBulletin(editor, file, { title: 'Bản tin dài', topic });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  const renditionsBeingWritten = async () => (await filesUnder(join(api.audioDir, 'tmp'))).filter((path) => path.endsWith('.mp3'));

  /** Waits for a render that was not already under way (ffmpeg orphaned by a killed worker may still be writing). */
  async function untilNewRender(before: string[]): Promise<void> {
    await until(async () => (await renditionsBeingWritten()).some((path) => !before.includes(path)), 60_000, 'a worker to start rendering');
  }

  beforeAll(async () => {
    api = await startTestApp({ ROLE: 'api' });
    editor = api.people.editor;
    fixtures = await mkdtemp(join(tmpdir(), 'loa-resilience-'));
    topic = await firstTopicId(editor);
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    // ffmpeg processes orphaned by a killed worker still write into the test's audio dir.
    await promisify(execFile)('pkill', ['-f', api.audioDir]).catch(() => undefined);
    await api?.close();
    await rm(fixtures, { recursive: true, force: true });
  });

  it('retries the render of a worker killed mid-job, and never shows a partial rendition', async () => {
    const id = await uploadLong();
    const doomed = startWorker();
    await untilNewRender([]);
    await doomed.stop('SIGKILL');

    const afterKill = await getBulletin(editor, id);
    expect(afterKill.status).toBe('processing');
    expect(await filesUnder(join(api.audioDir, 'renditions'))).toEqual([]);

    startWorker();
    const done = await waitUntilProcessed(editor, id, 90_000);
    expect(done.status).toBe('ready');
    const renditions = await filesUnder(join(api.audioDir, 'renditions'));
    expect(renditions).toHaveLength(1);
    const bytes = await readFile(renditions[0]);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(done.renditionSha256);
    expect(bytes.length).toBe(done.renditionBytes);
  });

  it('leaves nothing of a worker killed mid-render in tmp once the next worker has started', async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    const id = await uploadLong();
    const before = await filesUnder(join(api.audioDir, 'tmp'));
    const doomed = startWorker();
    await untilNewRender(before);
    await doomed.stop('SIGKILL');
    const leftBehind = (await filesUnder(join(api.audioDir, 'tmp'))).filter((path) => !before.includes(path));
    expect(leftBehind).not.toEqual([]);

    startWorker();
    await until(
      async () => (await filesUnder(join(api.audioDir, 'tmp'))).every((path) => !leftBehind.includes(path)),
      60_000,
      "the killed worker's temporary files to be swept",
    );
    expect((await waitUntilProcessed(editor, id, 90_000)).status).toBe('ready');
    await until(async () => (await filesUnder(join(api.audioDir, 'tmp'))).length === 0, 10_000, 'tmp/ to be empty');
  });

  it('lets a running render finish on SIGTERM within the grace period', async () => {
    await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
    const id = await uploadLong();
    const before = await renditionsBeingWritten();
    const worker = startWorker({ SHUTDOWN_GRACE_MS: '60000' });
    await untilNewRender(before);
    await worker.stop('SIGTERM');
    const bulletin = await getBulletin(editor, id);
    expect(bulletin.status).toBe('ready');
  });

  it('puts a render back in the queue when the SIGTERM grace runs out, for another worker to finish', async () => {
    // A 20-minute recording: its render cannot end within the second of grace, however early it was caught.
    const id = await uploadLong(1200);
    const before = await renditionsBeingWritten();
    const worker = startWorker({ SHUTDOWN_GRACE_MS: '1000' });
    await untilNewRender(before);
    await worker.stop('SIGTERM');
    expect(worker.log).toContain('Stopping unfinished audio jobs');
    const interrupted = await getBulletin(editor, id);
    expect(interrupted.status).toBe('processing');
    expect((await renditionsBeingWritten()).filter((path) => !before.includes(path))).toEqual([]);

    startWorker();
    expect((await waitUntilProcessed(editor, id, 90_000)).status).toBe('ready');
  });
});
