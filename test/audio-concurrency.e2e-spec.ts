import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { makeAudio, speechLike } from './support/audio-fixtures';
import { firstTopicId, uploadBulletin, waitUntilProcessed } from './support/bulletin-client';
import { MP3_128K } from './support/bad-files';
import { startTestApp, TestApp } from './support/test-app';

const LIMIT = 2;
const UPLOADS = 10;

/**
 * An ffmpeg or ffprobe that runs the real one and appends `start <pid> <args>` and `end <pid>` to a log, so that
 * what ran at once is measured from outside Loa, not from a counter Loa keeps.
 */
async function loggingWrapper(dir: string, tool: 'ffmpeg' | 'ffprobe', log: string): Promise<string> {
  const real = execFileSync('sh', ['-c', `command -v ${tool}`])
    .toString()
    .trim();
  const path = join(dir, tool);
  await writeFile(path, `#!/bin/sh\necho "start $$ $*" >> '${log}'\n'${real}' "$@"\ncode=$?\necho "end $$" >> '${log}'\nexit $code\n`);
  await chmod(path, 0o755);
  return path;
}

/** The most runs of one kind in flight at once, by the key (`keyOf`) each run works on; null: not of that kind. */
function mostAtOnce(lines: string[], keyOf: (args: string) => string | null): number {
  const running = new Map<string, string>();
  let most = 0;
  for (const line of lines) {
    const [event, pid, ...args] = line.split(' ');
    if (event === 'start') {
      const key = keyOf(args.join(' '));
      if (key !== null) running.set(pid, key);
    } else running.delete(pid);
    most = Math.max(most, new Set(running.values()).size);
  }
  return most;
}

describe(`Ten uploads at once, with ${LIMIT} probes and ${LIMIT} renders at most (real ffmpeg, counted outside Loa)`, () => {
  let loa: TestApp;
  let scratch: string;
  let log: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'loa-concurrency-'));
    log = join(scratch, 'runs.log');
    await writeFile(log, '');
    loa = await startTestApp({
      AUDIO_PROBE_CONCURRENCY: String(LIMIT),
      AUDIO_WORKER_CONCURRENCY: String(LIMIT),
      FFMPEG_PATH: await loggingWrapper(scratch, 'ffmpeg', log),
      FFPROBE_PATH: await loggingWrapper(scratch, 'ffprobe', log),
    });
  });

  afterAll(async () => {
    await loa?.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('processes every upload, inspecting and rendering at most the configured number at once', async () => {
    const editor = loa.people.editor;
    const topic = await firstTopicId(editor);
    const files = await Promise.all(
      Array.from({ length: UPLOADS }, (_, i) => makeAudio(scratch, `bulletin-${i}.mp3`, { source: speechLike(20, 7000 + i), output: MP3_128K })),
    );
    await writeFile(log, '');

    const created = await Promise.all(files.map((file, i) => uploadBulletin(editor, file, { title: `Bản tin ${i + 1}`, topic })));
    expect(created.map((answer) => answer.status)).toEqual(Array(UPLOADS).fill(201));
    const done = await Promise.all(created.map((answer) => waitUntilProcessed(editor, answer.body.id as string, 300_000)));
    expect(done.map((bulletin) => bulletin.status)).toEqual(Array(UPLOADS).fill('ready'));

    const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
    const tmp = join(loa.audioDir, 'tmp');
    const originals = join(loa.audioDir, 'originals');
    // An inspection reads the upload's temporary file (ffprobe, then one ffmpeg decode), one process at a time.
    const inspected = (args: string) => new RegExp(`${tmp}/[0-9a-f]{16}-[0-9a-f-]{36}(\\s|$)`).exec(args)?.[0].trim() ?? null;
    // A render's passes read its stored original (two side by side while calibrating): one render per original.
    const rendered = (args: string) => new RegExp(`${originals}/\\S+`).exec(args)?.[0] ?? null;
    expect(lines.filter((line) => line.startsWith('start') && inspected(line) !== null).length).toBeGreaterThanOrEqual(2 * UPLOADS);
    expect(mostAtOnce(lines, inspected)).toBe(LIMIT);
    expect(mostAtOnce(lines, rendered)).toBeGreaterThanOrEqual(1);
    expect(mostAtOnce(lines, rendered)).toBeLessThanOrEqual(LIMIT);
  }, 400_000);
});
