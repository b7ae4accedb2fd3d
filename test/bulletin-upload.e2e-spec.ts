import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstTopicId, uploadBulletin, waitUntilProcessed } from './support/bulletin-client';
import { FixtureSpec, makeAudio, measure, speechLike } from './support/audio-fixtures';
import { authHeader, Session } from './support/people';
import { startTestApp, TestApp } from './support/test-app';

const TARGET_LUFS = -16;
const CEILING_DBTP = -1.5;

interface Case {
  name: string;
  file: string;
  spec: FixtureSpec;
}

/** Uploads arrive as every kind of file a commune office meets; each must come out at the same loudness. */
const CASES: Case[] = [
  { name: 'an MP3', file: 'speech.mp3', spec: { source: speechLike(20, 11), output: ['-c:a', 'libmp3lame', '-b:a', '128k'] } },
  {
    name: 'a quiet recording (about -45 LUFS)',
    file: 'quiet.mp3',
    spec: { source: speechLike(20, 12, 0.02), output: ['-c:a', 'libmp3lame', '-b:a', '128k'] },
  },
  {
    name: 'a loud, clipping recording',
    file: 'loud.wav',
    spec: { source: speechLike(20, 13, 1), filters: ['volume=12dB', 'alimiter=limit=1:level=false'], output: ['-c:a', 'pcm_s16le'] },
  },
  { name: 'a stereo WAV', file: 'stereo.wav', spec: { source: speechLike(20, 14), output: ['-ac', '2', '-c:a', 'pcm_s16le'] } },
  { name: 'Opus in Ogg (a voice note)', file: 'note.ogg', spec: { source: speechLike(20, 15), output: ['-c:a', 'libopus', '-b:a', '32k'] } },
  { name: 'M4A/AAC (a phone recording)', file: 'phone.m4a', spec: { source: speechLike(20, 16), output: ['-c:a', 'aac', '-b:a', '96k'] } },
  {
    name: 'a recording with a long silence before and after',
    file: 'padded.mp3',
    spec: { source: speechLike(20, 17), filters: ['adelay=3000:all=1', 'apad=pad_dur=4'], output: ['-c:a', 'libmp3lame', '-b:a', '128k'] },
  },
];

describe('Uploading a bulletin (real PostgreSQL, Redis, ffmpeg)', () => {
  let loa: TestApp;
  let fixtures: string;
  let topic: string;
  /** The commune's culture office: uploads and listens back. */
  let editor: Session;

  beforeAll(async () => {
    loa = await startTestApp();
    editor = loa.people.editor;
    fixtures = await mkdtemp(join(tmpdir(), 'loa-fixtures-'));
    topic = await firstTopicId(editor);
  });

  afterAll(async () => {
    await loa?.close();
    await rm(fixtures, { recursive: true, force: true });
  });

  async function download(id: string, name: string, variant = 'rendition'): Promise<string> {
    const response = await fetch(`${loa.url}/api/bulletins/${id}/audio?variant=${variant}`, { headers: authHeader(editor) });
    expect(response.status).toBe(200);
    const path = join(fixtures, name);
    await writeFile(path, Buffer.from(await response.arrayBuffer()));
    return path;
  }

  it.each(CASES)('turns $name into a mono MP3 at -16 LUFS, under -1.5 dBTP, trimmed but otherwise as long', async ({ file, spec }) => {
    const source = await makeAudio(fixtures, file, spec);
    const before = await measure(source);
    const created = await uploadBulletin(editor, source, { title: `Bản tin ${file}`, topic });
    expect(created.status).toBe(201);
    // A worker may take the render between the insert and the answer.
    expect(['queued', 'processing']).toContain(created.body.status);

    const done = await waitUntilProcessed(editor, created.body.id as string);
    expect(done).toMatchObject({ status: 'ready', statusReason: null });

    const rendition = await download(done.id as string, `rendition-${file}.mp3`);
    const after = await measure(rendition);
    expect(Math.abs(after.integratedLufs - TARGET_LUFS)).toBeLessThanOrEqual(1);
    expect(after.truePeakDbtp).toBeLessThanOrEqual(CEILING_DBTP);
    expect(after.channels).toBe(1);

    const trimmedSeconds = ((done.trimStartMs as number) + (done.trimEndMs as number)) / 1000;
    expect(Math.abs(after.durationSeconds - (before.durationSeconds - trimmedSeconds))).toBeLessThanOrEqual(0.1);
    // What the library says is what was measured independently.
    expect(Math.abs((done.outputLufs as number) - after.integratedLufs)).toBeLessThanOrEqual(0.2);
    expect(Math.abs((done.durationMs as number) / 1000 - after.durationSeconds)).toBeLessThanOrEqual(0.05);
  });

  it('trims leading and trailing silence and keeps everything between', async () => {
    const { items } = (await (await fetch(`${loa.url}/api/bulletins?q=padded`, { headers: authHeader(editor) })).json()) as { items: Record<string, number>[] };
    expect(items).toHaveLength(1);
    // 3 s of silence before and 4 s after, less the 0.1 s of air Loa keeps at each end.
    expect(items[0].trimStartMs).toBeGreaterThan(2800);
    expect(items[0].trimStartMs).toBeLessThan(3000);
    expect(items[0].trimEndMs).toBeGreaterThan(3800);
    expect(items[0].trimEndMs).toBeLessThan(4000);
    expect(items[0].durationMs).toBeGreaterThan(20_000);
    expect(items[0].durationMs).toBeLessThan(20_400);
  });

  describe('serving the audio so a browser can seek', () => {
    let id: string;
    let whole: Buffer;

    beforeAll(async () => {
      const { items } = (await (await fetch(`${loa.url}/api/bulletins?status=ready&pageSize=1`, { headers: authHeader(editor) })).json()) as {
        items: { id: string }[];
      };
      id = items[0].id;
      whole = await readFile(await download(id, 'whole.mp3'));
    });

    it('answers a byte range with exactly those bytes', async () => {
      const response = await fetch(`${loa.url}/api/bulletins/${id}/audio`, { headers: { ...authHeader(editor), Range: 'bytes=1000-1999' } });
      expect(response.status).toBe(206);
      expect(response.headers.get('content-range')).toBe(`bytes 1000-1999/${whole.length}`);
      expect(response.headers.get('content-length')).toBe('1000');
      expect(response.headers.get('content-type')).toBe('audio/mpeg');
      expect(Buffer.from(await response.arrayBuffer()).equals(whole.subarray(1000, 2000))).toBe(true);
    });

    it('answers an open-ended and a suffix range', async () => {
      const tail = await fetch(`${loa.url}/api/bulletins/${id}/audio`, { headers: { ...authHeader(editor), Range: `bytes=${whole.length - 10}-` } });
      expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(whole.length - 10))).toBe(true);
      const suffix = await fetch(`${loa.url}/api/bulletins/${id}/audio`, { headers: { ...authHeader(editor), Range: 'bytes=-25' } });
      expect(suffix.status).toBe(206);
      expect(Buffer.from(await suffix.arrayBuffer()).equals(whole.subarray(whole.length - 25))).toBe(true);
    });

    it('refuses a range past the end with 416', async () => {
      const response = await fetch(`${loa.url}/api/bulletins/${id}/audio`, { headers: { ...authHeader(editor), Range: `bytes=${whole.length + 10}-` } });
      expect(response.status).toBe(416);
      expect(response.headers.get('content-range')).toBe(`bytes */${whole.length}`);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(await response.json()).toMatchObject({ statusCode: 416, error: 'Range Not Satisfiable' });
    });

    it('gives a strong ETag from the content and honours If-None-Match', async () => {
      const first = await fetch(`${loa.url}/api/bulletins/${id}/audio`, { headers: authHeader(editor) });
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
      expect(first.headers.get('content-length')).toBe(String(whole.length));
      await first.arrayBuffer();
      // node:http, not fetch: fetch adds Cache-Control: no-cache to conditional requests, as browsers do.
      const status = await new Promise<number>((resolve, reject) =>
        get(`${loa.url}/api/bulletins/${id}/audio`, { headers: { ...authHeader(editor), 'If-None-Match': etag as string } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }).on('error', reject),
      );
      expect(status).toBe(304);
    });

    it('serves the original upload byte for byte with ?variant=original', async () => {
      const bulletin = (await (await fetch(`${loa.url}/api/bulletins/${id}`, { headers: authHeader(editor) })).json()) as {
        originalSha256: string;
        originalBytes: number;
      };
      const response = await fetch(`${loa.url}/api/bulletins/${id}/audio?variant=original`, { headers: authHeader(editor) });
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBe(bulletin.originalBytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(bulletin.originalSha256);
    });

    it('refuses an unknown variant with a message', async () => {
      const response = await fetch(`${loa.url}/api/bulletins/${id}/audio?variant=flac`, { headers: authHeader(editor) });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain('variant must be rendition or original');
    });
  });
});
