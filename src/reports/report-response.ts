import { Logger } from '@nestjs/common';
import type { Response } from 'express';

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
 * Sends a stream of text with backpressure: the source is read only as fast as the client takes it, and is closed
 * (its cursor released) when the client goes away or takes nothing for `stallTimeoutMs`, which also closes the
 * connection. After the first byte a failure can only cut the file.
 */
export async function streamText(response: Response, chunks: AsyncIterable<string>, stallTimeoutMs: number): Promise<void> {
  try {
    for await (const chunk of chunks) {
      if (!response.write(chunk)) await drained(response, stallTimeoutMs);
    }
    response.end();
  } catch (error) {
    cut(response, error as Error);
  }
}

/** Runs a writer that writes into the response itself (the xlsx zip); a client gone or stalled ends it with an error. */
export async function writeInto(response: Response, write: (output: Response) => Promise<void>): Promise<void> {
  try {
    await write(response);
  } catch (error) {
    cut(response, error as Error);
  }
}

/** The client stopped taking the file: its export is aborted. */
class ExportStalled extends Error {}

/** Ends a file that could not be finished, closing the connection; a stalled client is expected, a failure is not. */
function cut(response: Response, error: Error): void {
  if (error instanceof ExportStalled) logger.warn(`An export was aborted: ${error.message}`);
  else if (!response.destroyed) logger.error(`A report file was cut: ${error.message}`);
  response.destroy();
}

/**
 * Waits until the client has taken what was written; fails when it has gone, or when it took nothing for
 * `stallTimeoutMs`, destroying the response then so the connection is closed.
 */
export function drained(output: NodeJS.WritableStream & { destroyed?: boolean; destroy(error?: Error): void }, stallTimeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void) => {
      clearTimeout(stall);
      output.off('drain', done);
      output.off('close', gone);
      outcome();
    };
    const done = () => settle(resolve);
    const gone = () => settle(() => reject(new Error('the client went away')));
    const stall = setTimeout(
      () =>
        settle(() => {
          const error = new ExportStalled(`the client took nothing for ${stallTimeoutMs / 1000} s`);
          output.destroy();
          reject(error);
        }),
      stallTimeoutMs,
    );
    if (output.destroyed) return gone();
    output.once('drain', done);
    output.once('close', gone);
  });
}
