import { open } from 'node:fs/promises';

/** Sizes that recorders write while still recording: they mean "until the end of the file", not a lie. */
const STREAMING_PLACEHOLDERS = new Set([0, 0xffffffff]);

/**
 * Chunks a WAV may have before its audio (fmt, fact, LIST, bext, iXML, JUNK, cue…: real files have a handful).
 * Past this, the chunk list is refused instead of walked, so a hostile file costs a bounded number of small reads.
 */
export const MAX_CHUNKS_BEFORE_DATA = 64;

const RIFF_HEADER_BYTES = 12;
const CHUNK_HEADER_BYTES = 8;

/** What a WAV's RIFF chunk list says about its audio, from the chunk headers alone. */
export type WavLayout = { kind: 'not-wav' } | { kind: 'complete' } | { kind: 'truncated'; missingBytes: number } | { kind: 'malformed'; reason: string };

/** Reads `length` bytes at `offset` of a file of `size` bytes (fewer at its end). */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

interface ChunkHeader {
  id: string;
  size: number;
}

/** A chunk id is four printable ASCII characters ("fmt ", "LIST", "data"). */
function chunkHeaderIn(bytes: Buffer): ChunkHeader | null {
  if (bytes.length < CHUNK_HEADER_BYTES) return null;
  for (let i = 0; i < 4; i++) if (bytes[i] < 0x20 || bytes[i] > 0x7e) return null;
  return { id: bytes.toString('ascii', 0, 4), size: bytes.readUInt32LE(4) };
}

/**
 * The next chunk header at `offset`, after an odd-sized chunk that ended just before it. RIFF pads odd chunks
 * to an even length, but some writers omit the pad byte: take whichever reading gives a chunk id.
 */
async function headerAfter(source: ByteSource, offset: number, odd: boolean): Promise<{ at: number; header: ChunkHeader } | null> {
  const bytes = await source.read(offset, CHUNK_HEADER_BYTES + (odd ? 1 : 0));
  if (odd) {
    const padded = chunkHeaderIn(bytes.subarray(1));
    if (padded) return { at: offset + 1, header: padded };
  }
  const header = chunkHeaderIn(bytes);
  return header ? { at: offset, header } : null;
}

/**
 * Walks the RIFF chunk list to the `data` chunk wherever it is, reading only chunk headers and seeking past
 * bodies, and compares the audio the header declares with what the file holds. ffmpeg quietly plays what is
 * there; Loa treats a difference as a truncated or damaged upload.
 */
export async function wavLayout(source: ByteSource): Promise<WavLayout> {
  const riff = await source.read(0, RIFF_HEADER_BYTES);
  if (riff.length < RIFF_HEADER_BYTES || riff.toString('ascii', 0, 4) !== 'RIFF' || riff.toString('ascii', 8, 12) !== 'WAVE') {
    return { kind: 'not-wav' };
  }
  let offset = RIFF_HEADER_BYTES;
  let odd = false;
  for (let chunks = 0; chunks <= MAX_CHUNKS_BEFORE_DATA; chunks++) {
    if (offset + CHUNK_HEADER_BYTES > source.size) return { kind: 'malformed', reason: 'it has no audio data' };
    const next = await headerAfter(source, offset, odd);
    if (!next) return { kind: 'malformed', reason: `its chunk list is broken at byte ${offset}` };
    const { id, size } = next.header;
    const bodyStart = next.at + CHUNK_HEADER_BYTES;
    if (id === 'data') {
      if (STREAMING_PLACEHOLDERS.has(size)) return { kind: 'complete' };
      const missingBytes = size - (source.size - bodyStart);
      return missingBytes > 0 ? { kind: 'truncated', missingBytes } : { kind: 'complete' };
    }
    if (bodyStart + size > source.size) {
      return { kind: 'malformed', reason: `its "${id.trim()}" chunk runs past the end of the file, before any audio` };
    }
    offset = bodyStart + size;
    odd = size % 2 === 1;
  }
  return { kind: 'malformed', reason: `it has more than ${MAX_CHUNKS_BEFORE_DATA} chunks before its audio` };
}

/** `wavLayout` of a file on disk of `size` bytes. */
export async function wavFileLayout(path: string, size: number): Promise<WavLayout> {
  const file = await open(path, 'r');
  try {
    return await wavLayout({
      size,
      read: async (offset, length) => {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await file.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      },
    });
  } finally {
    await file.close();
  }
}
