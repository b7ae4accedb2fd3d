import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http, { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { GatewayEvent, GatewayEventVerdict, verifyGatewayEvent } from '../../../src/speakers/drivers/gateway-event';

/** One request for the audio, and how the stub answered it. */
export interface MediaRequest {
  range: string | null;
  status: number;
}

/** An event post as Loa's `POST /api/gateway/events` would judge it. */
export interface ReceivedEvent {
  verdict: GatewayEventVerdict;
  /** The raw request, to replay it. */
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Plays Loa's part for a gateway: serves an audio file at `/api/media/<token>` with Range requests, and receives
 * events at `/api/gateway/events`, verifying them with Loa's own module and an in-memory nonce store.
 */
export class LoaStub {
  readonly media: MediaRequest[] = [];
  readonly received: ReceivedEvent[] = [];
  private readonly files = new Map<string, string>();
  private readonly nonces = new Set<string>();
  private server: http.Server;
  url = '';

  constructor(private readonly key: string) {
    this.server = http.createServer((request, response) => void this.route(request, response));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** A URL that serves `path`, as Loa's signed media URL would. */
  mediaUrl(token: string, path: string): string {
    this.files.set(token, path);
    return `${this.url}/api/media/${token}`;
  }

  get eventsUrl(): string {
    return `${this.url}/api/gateway/events`;
  }

  /** The events Loa believed for one playback, in order. */
  events(playbackId: string): GatewayEvent[] {
    return this.received.flatMap(({ verdict }) => (verdict.ok && verdict.event.playbackId === playbackId ? [verdict.event] : []));
  }

  /** Posts a received event again, byte for byte, as an attacker who captured it would. */
  async replay(event: ReceivedEvent): Promise<number> {
    const response = await fetch(this.eventsUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Loa-Timestamp': String(event.headers['x-loa-timestamp']),
        'X-Loa-Signature': String(event.headers['x-loa-signature']),
      },
      body: event.body,
    });
    return response.status;
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', this.url).pathname;
    if (request.method === 'GET' && path.startsWith('/api/media/')) return this.serveMedia(path.slice('/api/media/'.length), request, response);
    if (request.method === 'POST' && path === '/api/gateway/events') return this.receiveEvent(request, response);
    response.writeHead(404).end();
  }

  private async serveMedia(token: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const file = this.files.get(token);
    const range = request.headers.range ?? null;
    const answer = (status: number, headers: http.OutgoingHttpHeaders = {}) => {
      this.media.push({ range, status });
      return response.writeHead(status, headers);
    };
    if (!file) return void answer(404).end();
    const size = (await stat(file)).size;
    const match = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
    if (!match) {
      answer(200, { 'Content-Length': size, 'Accept-Ranges': 'bytes' });
      return void createReadStream(file).pipe(response);
    }
    const start = Number(match[1]);
    const end = Math.min(match[2] ? Number(match[2]) : size - 1, size - 1);
    if (start > end) return void answer(416, { 'Content-Range': `bytes */${size}` }).end();
    answer(206, { 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${size}` });
    createReadStream(file, { start, end }).pipe(response);
  }

  private async receiveEvent(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const verdict = await verifyGatewayEvent(
      { key: this.key, timestamp: request.headers['x-loa-timestamp'], signature: request.headers['x-loa-signature'], body },
      (nonce) => this.nonces.has(nonce) || (this.nonces.add(nonce), false),
    );
    this.received.push({ verdict, headers: request.headers, body });
    response.writeHead(verdict.ok ? 204 : verdict.reason === 'replayed' ? 409 : verdict.reason === 'invalid' ? 400 : 401).end();
  }
}
