import { wavDataShortfallBytes } from './wav-header';

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

/** A whole file, and what the inspector passes: the first 4096 bytes and the file size. */
function check(file: Buffer): number {
  return wavDataShortfallBytes(file.subarray(0, 4096), file.length);
}

const ONE_SECOND = 44100 * 2;

describe('wavDataShortfallBytes', () => {
  it('is 0 for an honest header', () => {
    const file = wav([fmtChunk(), chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) })]);
    expect(check(file)).toBe(0);
  });

  it('reports the missing bytes of a truncated upload', () => {
    const whole = wav([fmtChunk(), chunk({ id: 'data', body: Buffer.alloc(10 * ONE_SECOND) })]);
    const truncated = whole.subarray(0, whole.length - 3 * ONE_SECOND);
    expect(check(truncated)).toBe(3 * ONE_SECOND);
  });

  it('reports a header that declares more than the file could ever hold', () => {
    const file = wav([fmtChunk(), chunk({ id: 'data', declaredSize: 500_000_000, body: Buffer.alloc(ONE_SECOND) })]);
    expect(check(file)).toBe(500_000_000 - ONE_SECOND);
  });

  it('is 0 when the file holds more than the data chunk (metadata after the audio)', () => {
    const file = wav([fmtChunk(), chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) }), chunk({ id: 'id3 ', body: Buffer.alloc(128) })]);
    expect(check(file)).toBe(0);
  });

  it('reports a single missing byte', () => {
    const whole = wav([fmtChunk(), chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) })]);
    expect(check(whole.subarray(0, whole.length - 1))).toBe(1);
  });

  it.each([
    ['0', 0],
    ['0xFFFFFFFF', 0xffffffff],
  ])('accepts the streaming placeholder %s as "until the end of the file"', (_label, placeholder) => {
    const file = wav([fmtChunk(), chunk({ id: 'data', declaredSize: placeholder, body: Buffer.alloc(ONE_SECOND) })]);
    expect(check(file)).toBe(0);
  });

  it('finds the data chunk after a LIST chunk', () => {
    const list = chunk({ id: 'LIST', body: Buffer.from('INFOINAM\u000b\u0000\u0000\u0000Ban tin 3\u0000\u0000', 'latin1') });
    const whole = wav([fmtChunk(), list, chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) })]);
    expect(check(whole)).toBe(0);
    expect(check(whole.subarray(0, whole.length - 1000))).toBe(1000);
  });

  it('steps over the pad byte after an odd-sized chunk', () => {
    const odd = chunk({ id: 'LIST', body: Buffer.from('INFOabc', 'latin1') }); // 7 bytes + 1 pad
    expect(odd.length).toBe(16);
    const whole = wav([fmtChunk(), odd, chunk({ id: 'data', body: Buffer.alloc(ONE_SECOND) })]);
    expect(check(whole.subarray(0, whole.length - 10))).toBe(10);
  });

  it.each([
    ['an MP3', Buffer.concat([Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1'), Buffer.alloc(100)])],
    ['an AVI (RIFF but not WAVE)', Buffer.concat([Buffer.from('RIFF\u0000\u0001\u0000\u0000AVI LIST', 'latin1'), Buffer.alloc(100)])],
    ['an RF64 file', Buffer.concat([Buffer.from('RF64\u00ff\u00ff\u00ff\u00ffWAVEds64', 'latin1'), Buffer.alloc(100)])],
    ['a file shorter than a RIFF header', Buffer.from('RIFF', 'latin1')],
    ['an empty file', Buffer.alloc(0)],
  ])('is 0 for %s', (_label, file) => {
    expect(check(file)).toBe(0);
  });

  it('is 0 for a WAV header with no data chunk', () => {
    expect(check(wav([fmtChunk()]))).toBe(0);
  });
});
