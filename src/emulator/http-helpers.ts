import { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { EmulatedRequest } from './emulator-records';

/** Answers and records the status on the request's entry. */
export function answer(response: ServerResponse, entry: EmulatedRequest, status: number, body: string, headers: OutgoingHttpHeaders = {}): void {
  entry.status = status;
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

export function answerJson(response: ServerResponse, entry: EmulatedRequest, status: number, body: unknown): void {
  answer(response, entry, status, JSON.stringify(body), { 'Content-Type': 'application/json' });
}

/** The request body, or null once it exceeds maxBytes. */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () => resolve(size <= maxBytes ? Buffer.concat(chunks) : null));
    request.on('error', reject);
  });
}
