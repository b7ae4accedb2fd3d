import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAudio, speechLike } from './support/audio-fixtures';
import * as bad from './support/bad-files';
import { ApiAnswer, firstTopicId, uploadBulletin, waitUntilProcessed } from './support/bulletin-client';
import { authHeader, Session } from './support/people';
import {
  encodePart,
  filePart,
  MULTIPART_HEADERS,
  multipartBody,
  partHead,
  postHeadOnly,
  postRaw,
  postStreaming,
  postThenDisconnect,
  postThenStall,
  RawPart,
  textPart,
} from './support/raw-upload';
import {
  expectNothingStored,
  expectTidyStore,
  filesUnder,
  footprint,
  originalPath,
  pathStates,
  placesNamedAfter,
  rowsHolding,
  sha256Of,
} from './support/store-footprint';
import { startTestApp, TestApp } from './support/test-app';

const MB = 1024 * 1024;

/** The API's error shape, with a message that says what was wrong. */
function expectApiError(answer: ApiAnswer, statusCode: number, message: RegExp): void {
  expect(answer.body).toEqual(expect.objectContaining({ statusCode, error: STATUS_CODES[statusCode], message: expect.stringMatching(message) }));
  expect(answer.status).toBe(statusCode);
}

/** A TCP listener that counts who connects to it: a file that makes ffmpeg fetch a URL would show up here. */
async function openTrap(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  return { port, connections: () => connections, close: () => new Promise((closed) => server.close(() => closed())) };
}

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/** Retries an assertion until it passes or `timeoutMs` is over (for effects that follow a dropped connection). */
async function eventually(assertion: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

describe('Refusing bad bulletin uploads: a clear 4xx and nothing stored (real PostgreSQL, Redis, ffmpeg)', () => {
  let loa: TestApp;
  let fixtures: string;
  let topic: string;
  let seed = 1000;
  /** The commune's culture office, who uploads. */
  let editor: Session;
  /** The multipart headers a signed-in editor's raw request carries. */
  const rawHeaders = (as: Session = editor) => ({ ...MULTIPART_HEADERS, ...authHeader(as) });

  /** Distinct, valid speech each time, so no upload is refused as a duplicate of another. */
  const freshAudio = (name: string) => makeAudio(fixtures, name, { source: speechLike(3, seed++), output: bad.MP3_128K });
  const fields = () => ({ title: 'Thông báo lịch tiêm chủng', topic });

  beforeAll(async () => {
    loa = await startTestApp();
    editor = loa.people.editor;
    fixtures = await mkdtemp(join(tmpdir(), 'loa-rejections-'));
    topic = await firstTopicId(editor);
  });

  afterAll(async () => {
    await loa?.close();
    await rm(fixtures, { recursive: true, force: true });
  });

  /** Uploads `file` as a browser would and expects a refusal that leaves nothing behind. */
  async function expectRefusedUpload(file: string, statusCode: number, message: RegExp, clientName = 'bulletin.mp3'): Promise<void> {
    const before = await footprint(loa);
    expectApiError(await uploadBulletin(editor, file, fields(), clientName), statusCode, message);
    await expectNothingStored(loa, before, file);
  }

  describe('files that are not audio', () => {
    it.each([
      ['a PNG image', bad.png],
      ['an HTML page', bad.htmlPage],
      ['an ELF binary (/bin/true)', bad.elfBinary],
    ])('answers 415 to %s renamed .mp3', async (_what, make) => {
      await expectRefusedUpload(await make(fixtures), 415, /not audio that Loa can read\. Accepted: MP3, WAV/);
    });
  });

  describe('audio that cannot go on air', () => {
    it('answers 422 to an empty file', async () => {
      await expectRefusedUpload(await bad.emptyFile(fixtures), 422, /^The file is empty$/);
    });

    it('answers 422 to an MP3 cut after 100 kB of its 20 s', async () => {
      await expectRefusedUpload(await bad.truncatedMp3(fixtures), 422, /truncated or damaged: it declares 20\.\d s of audio but only [5-7]\.\d s could be decoded/);
    });

    it('answers 422 to a WAV whose header claims more audio than the file holds', async () => {
      await expectRefusedUpload(await bad.lyingWav(fixtures), 422, /WAV file is truncated or damaged: its header declares more audio than the file holds/);
    });

    it('answers 422 to a WAV whose data chunk, after a 6,000-byte LIST chunk, declares 600 s and holds 5 s', async () => {
      await expectRefusedUpload(
        await bad.wavWithLongListChunk(fixtures),
        422,
        /WAV file is truncated or damaged: its header declares more audio than the file holds/,
        'ban-tin.wav',
      );
    });

    it('answers 422 to two hours of Opus, over the one-hour limit', async () => {
      await expectRefusedUpload(await bad.twoHourSilentOpus(fixtures), 422, /The audio is 120 min long; a bulletin may be at most 60 min/, 'two-hours.ogg');
    }, 240_000);

    it('answers 422 to a video whose only audio is silent', async () => {
      await expectRefusedUpload(await bad.video(fixtures, 'silent'), 422, /The audio is silent/, 'video.mp4');
    });

    it('accepts a video with real audio (its sound is what goes on air)', async () => {
      const file = await bad.video(fixtures, 'tone');
      const created = await uploadBulletin(editor, file, fields(), 'video.mp4');
      expect(created.status).toBe(201);
      expect(await waitUntilProcessed(editor, created.body.id as string)).toEqual(expect.objectContaining({ status: 'ready' }));
      await expectTidyStore(loa);
    });
  });

  describe('files that would make ffmpeg open the network', () => {
    it.each([
      ['an HLS playlist', bad.hlsPlaylist, 'playlist.m3u8'],
      ['an ffconcat script', bad.ffconcatScript, 'list.ffconcat'],
      ['a concat: protocol URL', bad.concatProtocolPayload, 'concat.mp3'],
    ])('answers 415 to %s and never connects to the address in it', async (_what, make, clientName) => {
      const trap = await openTrap();
      try {
        const file = await make(fixtures, trap.port);
        await expectRefusedUpload(file, 415, /not audio that Loa can read/, clientName);
        await sleep(500);
        expect(trap.connections()).toBe(0);
      } finally {
        await trap.close();
      }
    });
  });

  describe('hostile client file names: a display label only, never a path or a command', () => {
    const place = (clientName: string) =>
      placesNamedAfter(clientName, [process.cwd(), tmpdir(), loa.audioDir, join(loa.audioDir, 'tmp'), join(loa.audioDir, 'originals')]);

    /** The file part as written on the wire: a quoted name, or the RFC 5987 form that can carry any byte. */
    const namedFile = (clientName: string, content: Buffer, encoded: boolean): RawPart =>
      filePart(encoded ? `name="file"; filename*=UTF-8''${encodeURIComponent(clientName)}` : Buffer.from(`name="file"; filename="${clientName}"`), content);

    const sendUnder = async (clientName: string, content: Buffer, encoded = false) =>
      postRaw(
        `${loa.url}/api/bulletins`,
        rawHeaders(),
        multipartBody([textPart('title', 'Tên tệp lạ'), textPart('topic', topic), namedFile(clientName, content, encoded)]),
      );

    const HOSTILE_NAMES: [string, string, boolean][] = [
      ['a path out of the store', '../../etc/passwd', false],
      ['a leading dash (an ffmpeg option)', '-i.mp3', false],
      ['a protocol prefix', 'concat:x.mp3', false],
      ['a URL', 'http://x.mp3', false],
      ['5,000 characters', `${'a'.repeat(4996)}.mp3`, false],
      ['a NUL byte (percent-encoded, RFC 5987)', 'tin-tuc.mp3\u0000../../x.png', true],
    ];

    it.each(HOSTILE_NAMES)('stores valid audio sent under %s only under its content address', async (_what, clientName, encoded) => {
      const file = await freshAudio(`named-${seed}.mp3`);
      const sha256 = await sha256Of(file);
      const before = await footprint(loa);
      const places = await pathStates(place(clientName));

      const created = await sendUnder(clientName, await readFile(file), encoded);
      expect(created.status).toBe(201);
      expect(created.body.originalSha256).toBe(sha256);
      const label = created.body.originalFilename as string;
      expect(label).not.toMatch(/[/\u0000]/);
      expect(label.length).toBeGreaterThan(0);
      expect(Array.from(label).length).toBeLessThanOrEqual(255);

      await waitUntilProcessed(editor, created.body.id as string);
      expect(await footprint(loa)).toEqual({ rows: before.rows + 1, originals: [...before.originals, originalPath(sha256)].sort() });
      await expectTidyStore(loa);
      expect(await pathStates(place(clientName))).toEqual(places);
    });

    it.each(HOSTILE_NAMES)('answers 415 to garbage sent under %s, writing nothing anywhere', async (_what, clientName, encoded) => {
      const garbage = await bad.htmlPage(fixtures);
      const before = await footprint(loa);
      const places = await pathStates(place(clientName));

      expectApiError(await sendUnder(clientName, await readFile(garbage), encoded), 415, /not audio that Loa can read/);
      await expectNothingStored(loa, before, garbage);
      expect(await pathStates(place(clientName))).toEqual(places);
    });

    it('answers 400 to a raw NUL byte in the quoted file name, whatever the file holds', async () => {
      const clientName = 'tin-tuc.mp3\u0000../../x.png';
      const before = await footprint(loa);
      const places = await pathStates(place(clientName));
      for (const content of [await readFile(await freshAudio('nul-valid.mp3')), await readFile(await bad.htmlPage(fixtures))]) {
        expectApiError(await sendUnder(clientName, content), 400, /not valid multipart\/form-data: Malformed part header/);
      }
      await expectNothingStored(loa, before);
      expect(await pathStates(place(clientName))).toEqual(places);
    });
  });

  describe('malformed requests', () => {
    type FormPart = [name: string, value: string] | [name: string, value: Blob, filename: string];
    const post = async (body: FormData | string, headers: Record<string, string> = {}): Promise<ApiAnswer> => {
      const response = await fetch(`${loa.url}/api/bulletins`, { method: 'POST', body, headers: { ...authHeader(editor), ...headers } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const form = (parts: FormPart[]) => {
      const data = new FormData();
      for (const [name, value, filename] of parts) {
        if (typeof value === 'string') data.append(name, value);
        else data.append(name, value, filename);
      }
      return data;
    };

    it.each<[string, number, RegExp, (audio: Blob) => FormPart[]]>([
      [
        'no title',
        400,
        /title must be 1 to 200 characters/,
        (audio) => [
          ['topic', topic],
          ['file', audio, 'a.mp3'],
        ],
      ],
      [
        'no topic',
        400,
        /topic must be the id of a topic/,
        (audio) => [
          ['title', 'Tiêu đề'],
          ['file', audio, 'a.mp3'],
        ],
      ],
      [
        'an unknown topic id',
        400,
        /topic [0-9a-f-]{36} is not an active topic/,
        (audio) => [
          ['title', 'Tiêu đề'],
          ['topic', randomUUID()],
          ['file', audio, 'a.mp3'],
        ],
      ],
      [
        'an unknown extra field',
        400,
        /Unexpected field "priority"; allowed fields are file, title, topic, communeId, language, notes/,
        (audio) => [
          ['title', 'Tiêu đề'],
          ['topic', topic],
          ['priority', 'emergency'],
          ['file', audio, 'a.mp3'],
        ],
      ],
      [
        'no file part',
        400,
        /No file was sent; put the audio in a field named "file"/,
        () => [
          ['title', 'Tiêu đề'],
          ['topic', topic],
        ],
      ],
      [
        'the audio in another field',
        400,
        /Unexpected file field "audio"; put the audio in "file"/,
        (audio) => [
          ['title', 'Tiêu đề'],
          ['topic', topic],
          ['audio', audio, 'a.mp3'],
        ],
      ],
      [
        'two files',
        400,
        /Send one file in "file"/,
        (audio) => [
          ['title', 'Tiêu đề'],
          ['topic', topic],
          ['file', audio, 'a.mp3'],
          ['file', audio, 'b.mp3'],
        ],
      ],
    ])('answers %s with %i naming the field', async (_what, statusCode, message, parts) => {
      const file = await freshAudio(`form-${seed}.mp3`);
      const before = await footprint(loa);
      expectApiError(await post(form(parts(await openAsBlob(file)))), statusCode, message);
      await expectNothingStored(loa, before, file);
    });

    it('answers an unknown field with 400 at once, while a large file after it is still being sent', async () => {
      const before = await footprint(loa);
      const head = Buffer.concat([
        encodePart(textPart('title', 'Tiêu đề')),
        encodePart(textPart('topic', topic)),
        encodePart(textPart('priority', 'emergency')),
        partHead({ disposition: 'name="file"; filename="big.mp3"' }),
      ]);
      const answer = await postStreaming(`${loa.url}/api/bulletins`, rawHeaders(), head, 50 * MB);
      expectApiError(answer, 400, /Unexpected field "priority"/);
      expect(answer.bytesSent).toBeLessThan(25 * MB);
      // Otherwise the unread upload holds the connection until the server's request timeout, and a browser waits with it.
      expect(answer.serverClosed).toBe(true);
      await expectNothingStored(loa, before);
    });

    it('answers a JSON body with 415 asking for multipart/form-data with a "file" field', async () => {
      const before = await footprint(loa);
      const answer = await post(JSON.stringify({ title: 'Tiêu đề', topic }), { 'Content-Type': 'application/json' });
      expectApiError(answer, 415, /multipart\/form-data with the audio in a field named "file"/);
      await expectNothingStored(loa, before);
    });
  });

  it('answers the same audio uploaded twice with 409 and the first bulletin id, storing it once', async () => {
    const file = await freshAudio('twice.mp3');
    const sha256 = await sha256Of(file);
    const before = await footprint(loa);

    const first = await uploadBulletin(editor, file, fields());
    expect(first.status).toBe(201);
    await waitUntilProcessed(editor, first.body.id as string);
    const second = await uploadBulletin(editor, file, { title: 'Một tiêu đề khác', topic }, 'copy.mp3');

    expectApiError(second, 409, /already uploaded as the bulletin "Thông báo lịch tiêm chủng"/);
    expect(second.body.bulletinId).toBe(first.body.id);
    expect(await rowsHolding(loa, sha256)).toBe(1);
    expect(await footprint(loa)).toEqual({ rows: before.rows + 1, originals: [...before.originals, originalPath(sha256)].sort() });
    await expectTidyStore(loa);
  });

  it('leaves nothing behind when the client disconnects in the middle of the file', async () => {
    const before = await footprint(loa);
    const tmp = join(loa.audioDir, 'tmp');
    const head = Buffer.concat([
      encodePart(textPart('title', 'Mất mạng')),
      encodePart(textPart('topic', topic)),
      partHead({ disposition: 'name="file"; filename="half.mp3"' }),
    ]);
    await postThenDisconnect(`${loa.url}/api/bulletins`, rawHeaders(), head, 512 * 1024, async () => {
      await eventually(async () => expect(await filesUnder(tmp)).toHaveLength(1));
    });
    await eventually(() => expectNothingStored(loa, before));
  });

  describe('an upload that stops making progress (UPLOAD_IDLE_TIMEOUT_SECONDS = 2)', () => {
    let impatient: TestApp;

    beforeAll(async () => {
      impatient = await startTestApp({ UPLOAD_IDLE_TIMEOUT_SECONDS: '2' });
    });

    afterAll(async () => {
      await impatient?.close();
    });

    it('answers 408 saying what to do, closes the connection and removes the temporary file', async () => {
      const before = await footprint(impatient);
      const tmp = join(impatient.audioDir, 'tmp');
      const head = Buffer.concat([
        encodePart(textPart('title', 'Mạng chập chờn')),
        encodePart(textPart('topic', topic)),
        partHead({ disposition: 'name="file"; filename="half.mp3"' }),
      ]);
      const answer = await postThenStall(`${impatient.url}/api/bulletins`, rawHeaders(impatient.people.editor), head, 512 * 1024, async () => {
        await eventually(async () => expect(await filesUnder(tmp)).toHaveLength(1));
      });
      expectApiError(answer, 408, /^Nothing arrived for 2 s, so the upload was stopped\. Check the network connection and upload the file again$/);
      expect(answer.answeredAfterMs).toBeGreaterThanOrEqual(1500);
      expect(answer.answeredAfterMs).toBeLessThan(10_000);
      expect(answer.serverClosed).toBe(true);
      await expectNothingStored(impatient, before);
    });
  });

  describe('uploads over UPLOAD_MAX_BYTES (1 MB)', () => {
    let small: TestApp;
    /** Everything before the file's bytes: the text fields and the file part's head. */
    const head = () =>
      Buffer.concat([encodePart(textPart('title', 'Quá lớn')), encodePart(textPart('topic', topic)), partHead({ disposition: 'name="file"; filename="big.mp3"' })]);

    beforeAll(async () => {
      small = await startTestApp({ UPLOAD_MAX_BYTES: String(MB) });
    });

    afterAll(async () => {
      await small?.close();
    });

    it('answers 413 before reading a body whose Content-Length declares more than the limit', async () => {
      const before = await footprint(small);
      const answer = await postHeadOnly(`${small.url}/api/bulletins`, { ...rawHeaders(small.people.editor), 'Content-Length': 50 * MB });
      expectApiError(answer, 413, /The file is larger than the 1 MB limit/);
      await expectNothingStored(small, before);
    });

    it('answers 413 to a chunked upload while the client is still sending', async () => {
      const before = await footprint(small);
      const answer = await postStreaming(`${small.url}/api/bulletins`, rawHeaders(small.people.editor), head(), 50 * MB);
      expectApiError(answer, 413, /The file is larger than the 1 MB limit/);
      expect(answer.bytesSent).toBeGreaterThan(MB);
      // What the client wrote past 1 MB sat in socket buffers, which the server does not control; half the plan is plenty.
      expect(answer.bytesSent).toBeLessThan(25 * MB);
      expect(answer.serverClosed).toBe(true);
      await expectNothingStored(small, before);
      expect(await filesUnder(small.audioDir)).toEqual([]);
    });
  });
});
