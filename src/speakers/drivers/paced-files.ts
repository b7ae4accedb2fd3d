import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** A real-time stream's rate: the audio's own byte rate, with a small lead sent at once. */
export interface BodyPace {
  bytesPerSecond: number;
  /** Bytes sent ahead of the rate, so that the device never runs dry while the next chunk is on its way. */
  leadBytes: number;
  /** Bytes per write. */
  chunkBytes: number;
}

/**
 * The files' bytes in order, as one stream; with a pace, no byte leaves before its time (its position at the rate,
 * less the lead, from the first byte). A slow reader holds the stream back and is then caught up, never beyond the lead.
 */
export async function* pacedFiles(body: { paths: string[]; pace?: BodyPace }, signal: AbortSignal, onChunk: (bytes: number) => void): AsyncGenerator<Buffer> {
  const started = performance.now();
  let sent = 0;
  for (const path of body.paths) {
    for await (const chunk of createReadStream(path, { highWaterMark: body.pace?.chunkBytes ?? 64 * 1024 })) {
      const bytes = chunk as Buffer;
      if (body.pace) {
        const dueMs = started + ((sent + bytes.length - body.pace.leadBytes) / body.pace.bytesPerSecond) * 1000 - performance.now();
        if (dueMs > 0) await sleep(dueMs, undefined, { signal });
      }
      sent += bytes.length;
      onChunk(bytes.length);
      yield bytes;
    }
  }
}
