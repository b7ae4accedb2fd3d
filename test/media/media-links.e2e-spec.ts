import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaLinks } from '../../src/media-links/media-links.service';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { firstTopicId, uploadBulletin, waitUntilProcessed } from '../support/bulletin-client';
import { startTestApp, TestApp } from '../support/test-app';

/** Gateways fetch bulletin audio by signed, expiring links, without an account. */
describe('GET /api/media/:token', () => {
  let loa: TestApp;
  let fixtures: string;
  let rendition: { sha256: string; bytes: number; durationMs: number };

  beforeAll(async () => {
    loa = await startTestApp();
    fixtures = await mkdtemp(join(tmpdir(), 'loa-media-'));
    const file = await makeAudio(fixtures, 'bulletin.mp3', { source: speechLike(4, 4242), output: ['-c:a', 'libmp3lame'] });
    const created = await uploadBulletin(loa.people.editor, file, { title: 'Bản tin cho cổng', topic: await firstTopicId(loa.people.editor) });
    const ready = await waitUntilProcessed(loa.people.editor, created.body.id as string);
    rendition = { sha256: ready.renditionSha256 as string, bytes: ready.renditionBytes as number, durationMs: ready.durationMs as number };
  });

  afterAll(async () => {
    await loa?.close();
    await rm(fixtures, { recursive: true, force: true });
  });

  /** The link as a device would use it, pointed at the test server instead of PUBLIC_URL. */
  const link = (format: 'mp3' | 'mulaw', ttlSeconds?: number) =>
    loa.app.get(MediaLinks).urlFor(rendition.sha256, format, ttlSeconds).replace(loa.config.publicUrl, loa.url);

  it('serves the MP3 rendition without an account, with Range support', async () => {
    const whole = await fetch(link('mp3'));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/mpeg');
    expect((await whole.arrayBuffer()).byteLength).toBe(rendition.bytes);

    const part = await fetch(link('mp3'), { headers: { Range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
  });

  it('serves G.711 µ-law at 8 kHz for devices that need it: 8,000 bytes a second', async () => {
    const response = await fetch(link('mulaw'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/basic');
    const seconds = (await response.arrayBuffer()).byteLength / 8000;
    expect(Math.abs(seconds - rendition.durationMs / 1000)).toBeLessThanOrEqual(0.1);
  });

  it('answers 410 once the link has expired', async () => {
    const response = await fetch(link('mp3', -1));
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ statusCode: 410, message: 'This audio link has expired' });
  });

  it('answers 404 for a tampered or made-up link, saying nothing more', async () => {
    const good = link('mp3');
    const tampered = `${good.slice(0, -3)}${good.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (const url of [tampered, `${loa.url}/api/media/not-a-token`]) {
      const response = await fetch(url);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ message: 'No audio at this link' });
    }
  });

  it('gives links under PUBLIC_URL, where devices reach the service', () => {
    expect(loa.app.get(MediaLinks).urlFor(rendition.sha256, 'mp3')).toMatch(new RegExp(`^${loa.config.publicUrl}/api/media/[\\w-]+\\.[\\w-]+$`));
  });
});
