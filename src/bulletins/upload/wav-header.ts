/** Sizes that recorders write while still recording: they mean "until the end of the file", not a lie. */
const STREAMING_PLACEHOLDERS = new Set([0, 0xffffffff]);

/**
 * How many bytes of audio a WAV header promises beyond the end of the file (0 if none, or not a WAV).
 * ffmpeg quietly plays what is there; Loa treats the difference as a truncated or damaged upload.
 */
export function wavDataShortfallBytes(header: Buffer, fileSize: number): number {
  if (header.length < 12 || header.toString('ascii', 0, 4) !== 'RIFF' || header.toString('ascii', 8, 12) !== 'WAVE') return 0;
  let offset = 12;
  while (offset + 8 <= header.length) {
    const id = header.toString('ascii', offset, offset + 4);
    const size = header.readUInt32LE(offset + 4);
    if (id === 'data') {
      if (STREAMING_PLACEHOLDERS.has(size)) return 0;
      return Math.max(0, size - (fileSize - (offset + 8)));
    }
    offset += 8 + size + (size % 2);
  }
  return 0;
}
