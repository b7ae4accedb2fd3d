import http, { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { deviceLookup, refusedAddress } from './device-address';
import { DriverError } from './driver-error';
import { BodyPace, pacedFiles } from './paced-files';

/** A request body streamed from files one after the other, announced with its exact Content-Length. */
export interface FileBody {
  paths: string[];
  bytes: number;
  /** Sends it at this rate (a real-time stream) instead of as fast as the connection takes it. */
  pace?: BodyPace;
}

export interface ExchangeRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Buffer | FileBody;
  connectTimeoutMs: number;
  /** Whether the device may be on this machine's loopback (emulators, test devices); see `refusedAddress`. */
  allowLoopback: boolean;
  /** From the open connection until the whole answer has arrived. */
  answerTimeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
  /** Called when the connection opens and the request starts going out. */
  onSent?: (at: Date) => void;
  /** The error for a connection closed after it opened but before any answer; a protocol error by default. */
  closedWithoutAnswer?: (bytesSent: number) => DriverError;
}

export interface ExchangeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Headers that may legally repeat (WWW-Authenticate), one array entry per header line. */
  headersDistinct: NodeJS.Dict<string[]>;
  body: Buffer;
  /** How much of the request body had been handed to the connection when the answer was complete. */
  bodyBytesSent: number;
}

const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Every way of not getting a connection (refused, no answer in time, no such host, an address no speaker may have)
 * reads the same, so that the messages cannot be used to map what listens where.
 */
function unreachable(device: string): DriverError {
  return new DriverError('unreachable', `${device} could not be reached: check that the device is powered, on the network and at this address`);
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

function isFileBody(body: Buffer | FileBody): body is FileBody {
  return !Buffer.isBuffer(body);
}

/**
 * One HTTP request on a fresh connection, with a connect timeout, an answer deadline, a bounded answer and
 * abort support. Every failure becomes a `DriverError` naming the device, or `signal.reason` when aborted.
 */
export function exchange(request: ExchangeRequest): Promise<ExchangeResponse> {
  const { url, signal } = request;
  const device = url.host;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    if (refusedAddress(url.hostname, request.allowLoopback)) return reject(unreachable(device));
    let settled = false;
    let connected = false;
    let bytesSent = 0;
    let connectTimer: NodeJS.Timeout | undefined;
    let answerTimer: NodeJS.Timeout | undefined;

    const transport = url.protocol === 'https:' ? https : http;
    const bodyLength = request.body === undefined ? 0 : isFileBody(request.body) ? request.body.bytes : request.body.length;
    const headers = { ...request.headers, ...(request.method === 'POST' ? { 'Content-Length': String(bodyLength) } : {}) };
    // agent: false gives each request its own connection, so a stale keep-alive socket never eats a timeout.
    const outgoing = transport.request(url, {
      method: request.method,
      headers,
      agent: false,
      maxHeaderSize: MAX_HEADER_BYTES,
      lookup: deviceLookup(request.allowLoopback),
    });

    const cleanUp = () => {
      clearTimeout(connectTimer);
      clearTimeout(answerTimer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      cleanUp();
      outgoing.destroy();
      reject(error);
    };
    const onAbort = () => fail(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    connectTimer = setTimeout(() => fail(unreachable(device)), request.connectTimeoutMs);
    const onConnect = () => {
      connected = true;
      clearTimeout(connectTimer);
      answerTimer = setTimeout(
        () => fail(new DriverError('timeout', `${device} did not answer within ${seconds(request.answerTimeoutMs)}`)),
        request.answerTimeoutMs,
      );
      request.onSent?.(new Date());
      if (request.body !== undefined && isFileBody(request.body)) sendFiles(request.body);
    };
    outgoing.on('socket', (socket) => {
      if (socket.connecting) socket.once('connect', onConnect);
      else onConnect();
    });

    outgoing.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxResponseBytes) {
          fail(new DriverError('protocol', `${device} answered more than ${request.maxResponseBytes} bytes; the answer is not believed`));
        } else chunks.push(chunk);
      });
      response.on('end', () => {
        if (settled) return;
        settled = true;
        cleanUp();
        // The answer is complete: stop any upload still in progress (a 401 or 503 can come before the body is sent).
        outgoing.destroy();
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          headersDistinct: response.headersDistinct,
          body: Buffer.concat(chunks),
          bodyBytesSent: bytesSent,
        });
      });
      response.on('close', () => {
        if (!response.complete) fail(new DriverError('protocol', `${device} closed the connection in the middle of its answer`));
      });
    });

    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      if (code.startsWith('HPE_')) {
        fail(new DriverError('protocol', `${device} answered something that is not HTTP (${code})`));
      } else if (connected) {
        fail(request.closedWithoutAnswer?.(bytesSent) ?? new DriverError('protocol', `${device} closed the connection without answering`));
      } else {
        fail(unreachable(device));
      }
    });

    // Files go out from the connection on, so that a paced body's clock starts with its first byte.
    const sendFiles = (body: FileBody): void => {
      const stopped = new AbortController();
      const files = Readable.from(
        pacedFiles(body, stopped.signal, (bytes) => (bytesSent += bytes)),
        { objectMode: false },
      );
      files.on('error', (error) => fail(stopped.signal.aborted ? error : new Error(`Cannot read the audio to send: ${error.message}`)));
      // pipe() leaves the files open when the connection ends first (an early 401 or 503, a stop).
      outgoing.on('close', () => {
        stopped.abort();
        files.destroy();
      });
      files.pipe(outgoing);
    };
    if (request.body === undefined) outgoing.end();
    else if (!isFileBody(request.body)) {
      bytesSent = request.body.length;
      outgoing.end(request.body);
    }
  });
}
