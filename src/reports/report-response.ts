import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;
export type FileFormat = keyof typeof CONTENT_TYPES;

const logger = new Logger('ReportResponse');

export function startFile(response: Response, format: FileFormat, basename: string): void {
  response.status(200);
  response.setHeader('Content-Type', CONTENT_TYPES[format]);
  response.setHeader('Content-Disposition', `attachment; filename="${basename}.${format}"`);
  response.setHeader('Cache-Control', 'no-store');
}

/**
 * Sends a stream of text with backpressure: the source is read only as fast as the client takes it, and is
 * closed (its cursor released) when the client goes away. After the first byte a failure can only cut the file.
 */
export async function streamText(response: Response, chunks: AsyncIterable<string>): Promise<void> {
  await pipeline(Readable.from(chunks), response).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') logger.error(`A report stream was cut: ${error.message}`);
  });
}

/** Runs a writer that writes into the response itself (the xlsx zip); a client gone ends it with an error. */
export async function writeInto(response: Response, write: (output: Response) => Promise<void>): Promise<void> {
  try {
    await write(response);
  } catch (error) {
    if (!response.destroyed) logger.error(`A report file was cut: ${(error as Error).message}`);
    response.destroy();
  }
}

/** Waits until the client has taken what was written, or fails when it has gone. */
export function drained(output: NodeJS.WritableStream & { destroyed?: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      output.off('drain', done);
      output.off('close', gone);
      resolve();
    };
    const gone = () => {
      output.off('drain', done);
      output.off('close', gone);
      reject(new Error('the client went away'));
    };
    if (output.destroyed) return gone();
    output.once('drain', done);
    output.once('close', gone);
  });
}
