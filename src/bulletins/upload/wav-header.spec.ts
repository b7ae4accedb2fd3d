import { ByteSource, MAX_CHUNKS_BEFORE_DATA, WavLayout, wavLayout } from './wav-header';

interface Chunk {
  id: string;
  /** The size the header declares; defaults to the body length. */
  declaredSize?: number;
  body: Buffer;
}

function chunk({ id, declaredSize, body }: Chunk): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 4, 'ascii');
  header.writeUInt32LE(declaredSize ?? body.length, 4);
  const pad = body.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([header, body, pad]);
}

/** 16-bit mono PCM at 44.1 kHz, as a recorder writes it. */
function fmtChunk(): Buffer {
  const body = Buffer.alloc(16);
  body.writeUInt16LE(1, 0); // PCM
  body.writeUInt16LE(1, 2); // mono
  body.writeUInt32LE(44100, 4);
  body.writeUInt32LE(44100 * 2, 8);
  body.writeUInt16LE(2, 12);
  body.writeUInt16LE(16, 14);
  return chunk({ id: 'fmt ', body });
}

function wav(chunks: Buffer[]): Buffer {
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(4 + chunks.reduce((total, next) => total + next.length, 0), 4);
  riff.write('WAVE', 8, 'ascii');
  return Buffer.concat([riff, ...chunks]);
}

/** A file in memory that counts how many bytes the walk reads. */
function source(file: Buffer): ByteSource & { bytesRead: number } {
  return {
    size: file.length,
    bytesRead: 0,
    async read(offset, length) {
      const bytes = file.subarray(offset, offset + length);
      this.bytesRead += bytes.length;
      return bytes;
    },
  };
}

function check(file: Buffer): Promise<WavLayout> {
  return wavLayout(source(file));
}

const COMPLETE = { kind: 'complete' };
const missing = (missingBytes: number) => ({ kind: 'truncated', missingBytes });

const ONE_SECOND = 44100 * 2;

describe('wavLayout', () => {
  it('is complete for an honest header', async () => {
    const file = wav([fmtChunk(), chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) })]);
    expect(await check(file)).toEqual(COMPLETE);
  });

  it('reports the missing bytes of a truncated upload', async () => {
    const whole = wav([fmtChunk(), chunk({ id: 'data', body: Buffer.alloc(10 * ONE_SECOND) })]);
    const truncated = whole.subarray(0, whole.length - 3 * ONE_SECOND);
    expect(await check(truncated)).toEqual(missing(3 * ONE_SECOND));
  });

  it('reports a header that declares more than the file could ever hold', async () => {
    const file = wav([fmtChunk(), chunk({ id: 'data', declaredSize: 500_000_000, body: Buffer.alloc(ONE_SECOND) })]);
    expect(await check(file)).toEqual(missing(500_000_000 - ONE_SECOND));
  });

  it('is complete when the file holds more than the data chunk (metadata after the audio)', async () => {
    const file = wav([fmtChunk(), chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) }), chunk({ id: 'id3 ', body: Buffer.alloc(128) })]);
    expect(await check(file)).toEqual(COMPLETE);
  });

  it('reports a single missing byte', async () => {
    const whole = wav([fmtChunk(), chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) })]);
    expect(await check(whole.subarray(0, whole.length - 1))).toEqual(missing(1));
  });

  it.each([
    ['0', 0],
    ['0xFFFFFFFF', 0xffffffff],
  ])('accepts the streaming placeholder %s as "until the end of the file"', async (_label, placeholder) => {
    const file = wav([fmtChunk(), chunk({ id: 'data', declaredSize: placeholder, body: Buffer.alloc(ONE_SECOND) })]);
    expect(await check(file)).toEqual(COMPLETE);
  });

  it('finds the data chunk after a LIST chunk', async () => {
    const list = chunk({ id: 'LIST', body: Buffer.from('INFOINAM\u000b\u0000\u0000\u0000Ban tin 3\u0000\u0000', 'latin1') });
    const whole = wav([fmtChunk(), list, chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) })]);
    expect(await check(whole)).toEqual(COMPLETE);
    expect(await check(whole.subarray(0, whole.length - 1000))).toEqual(missing(1000));
  });

  it('steps over the pad byte after an odd-sized chunk', async () => {
    const odd = chunk({ id: 'LIST', body: Buffer.from('INFOabc', 'latin1') }); // 7 bytes + 1 pad
    expect(odd.length).toBe(16);
    const whole = wav([fmtChunk(), odd, chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) })]);
    expect(await check(whole.subarray(0, whole.length - 10))).toEqual(missing(10));
  });

  it('finds the data chunk after an odd-sized chunk whose writer left out the pad byte', async () => {
    const unpadded = chunk({ id: 'LIST', body: Buffer.from('INFOabc', 'latin1') }).subarray(0, 15);
    const whole = wav([fmtChunk(), unpadded, chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) })]);
    expect(await check(whole)).toEqual(COMPLETE);
    expect(await check(whole.subarray(0, whole.length - 10))).toEqual(missing(10));
  });

  it('reads only chunk headers: a 6,000-byte LIST chunk before a data chunk that declares 600 s and holds 5 s', async () => {
    const list = chunk({ id: 'LIST', body: Buffer.alloc(6000, 0x41) });
    const file = source(wav([fmtChunk(), list, chunk({ id: 'data', declaredSize: 600 * ONE_SECOND, body: Buffer.alloc(5 * ONE_SECOND) })]));
    expect(await wavLayout(file)).toEqual(missing(595 * ONE_SECOND));
    expect(file.bytesRead).toBeLessThan(100);
  });

  it('refuses a chunk before the audio whose size runs past the end of the file', async () => {
    const file = wav([fmtChunk(), chunk({ id: 'LIST', declaredSize: 0xfffffff0, body: Buffer.alloc(64) }), chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) })]);
    expect(await check(file)).toEqual({ kind: 'malformed', reason: 'its "LIST" chunk runs past the end of the file, before any audio' });
  });

  it(`refuses thousands of tiny chunks after reading at most ${MAX_CHUNKS_BEFORE_DATA + 1} chunk headers`, async () => {
    const tiny = Array.from({ length: 5000 }, () => chunk({ id: 'JUNK', body: Buffer.alloc(1) }));
    const file = source(wav([fmtChunk(), ...tiny, chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) })]));
    expect(await wavLayout(file)).toEqual({ kind: 'malformed', reason: `it has more than ${MAX_CHUNKS_BEFORE_DATA} chunks before its audio` });
    expect(file.bytesRead).toBeLessThanOrEqual(12 + (MAX_CHUNKS_BEFORE_DATA + 1) * 9);
  });

  it('refuses a chunk list that does not lead to a chunk id', async () => {
    const file = Buffer.concat([wav([fmtChunk()]), Buffer.from([0x00, 0xff, 0x10, 0x01, 0, 0, 0, 0]), Buffer.alloc(ONE_SECOND)]);
    expect(await check(file)).toEqual({ kind: 'malformed', reason: 'its chunk list is broken at byte 36' });
  });

  it.each([
    ['an MP3', Buffer.concat([Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1'), Buffer.alloc(100)])],
    ['an AVI (RIFF but not WAVE)', Buffer.concat([Buffer.from('RIFF\u0000\u0001\u0000\u0000AVI LIST', 'latin1'), Buffer.alloc(100)])],
    ['an RF64 file', Buffer.concat([Buffer.from('RF64\u00ff\u00ff\u00ff\u00ffWAVEds64', 'latin1'), Buffer.alloc(100)])],
    ['a file shorter than a RIFF header', Buffer.from('RIFF', 'latin1')],
    ['an empty file', Buffer.alloc(0)],
  ])('is not a WAV: %s', async (_label, file) => {
    expect(await check(file)).toEqual({ kind: 'not-wav' });
  });

  it('refuses a WAV header with no data chunk', async () => {
    expect(await check(wav([fmtChunk()]))).toEqual({ kind: 'malformed', reason: 'it has no audio data' });
  });
});
