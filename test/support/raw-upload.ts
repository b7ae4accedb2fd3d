import { once } from 'node:events';
import { IncomingMessage, OutgoingHttpHeaders, request } from 'node:http';
import type { Socket } from 'node:net';

/** An answer read off the wire, with how many body bytes the client had written when it arrived. */
export interface RawAnswer {
  status: number;
  body: Record<string, unknown>;
  bytesSent: number;
}

export interface StreamedAnswer extends RawAnswer {
  /** The server closed the connection after answering, instead of leaving the unread upload hanging on it. */
  serverClosed: boolean;
}

function closedWithin(socket: Socket | null, ms: number): Promise<boolean> {
  if (!socket || socket.destroyed) return Promise.resolve(true);
  return new Promise((answer) => {
    const timer = setTimeout(() => answer(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      answer(true);
    });
  });
}

/** One multipart part, built byte by byte so that any header (a NUL in a file name, say) reaches the server as written. */
export interface RawPart {
  /** What follows `Content-Disposition: form-data; `, e.g. `name="file"; filename="x.mp3"`. */
  disposition: string | Buffer;
  contentType?: string;
  content: Buffer | string;
}

export const BOUNDARY = 'loa-test-boundary-7c1f';
export const MULTIPART_HEADERS = { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` };

export function textPart(name: string, value: string): RawPart {
  return { disposition: `name="${name}"`, content: value };
}

export function filePart(disposition: string | Buffer, content: Buffer): RawPart {
  return { disposition, contentType: 'application/octet-stream', content };
}

/** The header lines of one part, up to and including the blank line before its content. */
export function partHead(part: Pick<RawPart, 'disposition' | 'contentType'>): Buffer {
  return Buffer.concat([
    Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; `),
    Buffer.from(part.disposition),
    Buffer.from(part.contentType ? `\r\nContent-Type: ${part.contentType}\r\n\r\n` : '\r\n\r\n'),
  ]);
}

/** One complete part: head, content, and the line break before the next boundary. */
export function encodePart(part: RawPart): Buffer {
  return Buffer.concat([partHead(part), Buffer.from(part.content), Buffer.from('\r\n')]);
}

export function multipartBody(parts: RawPart[]): Buffer {
  return Buffer.concat([...parts.map(encodePart), Buffer.from(`--${BOUNDARY}--\r\n`)]);
}

async function readJson(response: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { unparsedBody: text };
  }
}

/** POSTs a complete body with node:http (fetch would re-encode a hand-built multipart body's names). */
export function postRaw(url: string, headers: OutgoingHttpHeaders, body: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'Content-Length': body.length } });
    req.on('response', (response) => readJson(response).then((json) => resolve({ status: response.statusCode ?? 0, body: json, bytesSent: body.length }), reject));
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends only the request head, never the body it announces, and waits for the server to answer anyway. */
export function postHeadOnly(url: string, headers: OutgoingHttpHeaders, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms while the body was withheld`));
    }, timeoutMs);
    req.on('response', (response) =>
      readJson(response).then((json) => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: response.statusCode ?? 0, body: json, bytesSent: 0 });
      }, reject),
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.flushHeaders();
  });
}

/**
 * Streams `head` and then filler bytes with chunked transfer encoding (no Content-Length), as a client sending a
 * `plannedBytes` file would, and stops writing as soon as the server answers.
 */
export function postStreaming(url: string, headers: OutgoingHttpHeaders, head: Buffer, plannedBytes: number, chunkBytes = 64 * 1024): Promise<StreamedAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'Transfer-Encoding': 'chunked' } });
    let bytesSent = 0;
    let answered = false;
    const answer = new Promise<void>((settle) => {
      req.once('response', (response) => {
        answered = true;
        const sentBeforeAnswer = bytesSent;
        settle();
        readJson(response)
          .then(async (json) => {
            const serverClosed = await closedWithin(req.socket, 2000);
            req.destroy();
            resolve({ status: response.statusCode ?? 0, body: json, bytesSent: sentBeforeAnswer, serverClosed });
          })
          .catch(reject);
      });
      req.once('close', () => settle());
    });
    req.on('error', (error) => {
      if (!answered) reject(new Error(`the connection failed before any answer, after ${bytesSent} bytes: ${error.message}`));
    });

    const filler = Buffer.alloc(chunkBytes, 0x55);
    const pump = async () => {
      req.write(head);
      bytesSent += head.length;
      while (!answered && !req.destroyed && bytesSent < plannedBytes) {
        const flushed = req.write(filler);
        bytesSent += filler.length;
        // Yield to the event loop either way, so an answer is noticed between chunks.
        await Promise.race([flushed ? new Promise((next) => setImmediate(next)) : once(req, 'drain'), answer]);
      }
      if (!answered && !req.destroyed) req.end();
    };
    pump().catch(() => undefined);
  });
}

/**
 * Sends `head` and `fileBytes` filler bytes of a body that never ends, runs `whileConnected` (e.g. to look at what
 * the server has written so far), then drops the connection as a phone losing its network would.
 */
export async function postThenDisconnect(
  url: string,
  headers: OutgoingHttpHeaders,
  head: Buffer,
  fileBytes: number,
  whileConnected: () => Promise<void>,
): Promise<void> {
  const req = request(url, { method: 'POST', headers: { ...headers, 'Transfer-Encoding': 'chunked' } });
  req.on('error', () => undefined);
  await new Promise<void>((flushed, failed) => {
    req.write(head);
    req.write(Buffer.alloc(fileBytes, 0x55), (error) => (error ? failed(error) : flushed()));
  });
  try {
    await whileConnected();
  } finally {
    req.destroy();
  }
}

/**
 * Sends `head` and `fileBytes` filler bytes of a body that never ends, then sends nothing more while keeping the
 * connection open, as a phone whose network froze would; runs `whileStalled` and waits for the server's answer.
 */
export function postThenStall(
  url: string,
  headers: OutgoingHttpHeaders,
  head: Buffer,
  fileBytes: number,
  whileStalled: () => Promise<void>,
  timeoutMs = 30_000,
): Promise<StreamedAnswer & { answeredAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'Transfer-Encoding': 'chunked' } });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to a stalled upload`));
    }, timeoutMs);
    let stalledAt = 0;
    req.on('error', (error) => reject(new Error(`the connection failed before any answer: ${error.message}`)));
    req.on('response', (response) => {
      const answeredAfterMs = Date.now() - stalledAt;
      readJson(response)
        .then(async (json) => {
          clearTimeout(timer);
          const serverClosed = await closedWithin(req.socket, 2000);
          req.destroy();
          resolve({ status: response.statusCode ?? 0, body: json, bytesSent: head.length + fileBytes, serverClosed, answeredAfterMs });
        })
        .catch(reject);
    });
    req.write(head);
    req.write(Buffer.alloc(fileBytes, 0x55), () => {
      stalledAt = Date.now();
      whileStalled().catch(reject);
    });
  });
}
