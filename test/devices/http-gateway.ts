import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import http, { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { checkGatewaySignature, gatewaySignature } from './gateway-signature';

/**
 * A vendor gateway speaking Loa's http-gateway protocol, written from docs/gateway.md for tests: nothing here comes
 * from Loa. It takes signed play commands at its base URL, fetches the audio by the command's link in Range requests,
 * checks its SHA-256, decodes it (ffmpeg, to count its samples), plays it for its own length (times `timeScale`) and
 * posts signed `started` / `finished` / `failed` events. One playback at a time: a command meanwhile gets `503`.
 *
 * How it answers is its `answer` mode; how its events reach Loa is its `events` mode.
 */
export type GatewayAnswerMode =
  /** Acknowledges a command at once, before fetching the audio: problems with the audio come as a `failed` event. */
  | { kind: 'at-once' }
  /** Fetches and checks the audio first, then answers `{accepted: true}`, or `{accepted: false, reason}`. */
  | { kind: 'after-fetch' }
  /** Answers every signed request `delayMs` late. */
  | { kind: 'slow'; delayMs: number }
  /** Reads every request and never answers. */
  | { kind: 'never' }
  /** Closes the connection of every signed request without an answer. */
  | { kind: 'drop' }
  /** Answers every request with a web page (a captive portal, a misconfigured proxy). */
  | { kind: 'garbage' };

export type GatewayEventsMode =
  /** Each event posted when it happens. */
  | { kind: 'prompt' }
  /** Each event posted `delayMs` after it happened (its `at` is still the instant it happened). */
  | { kind: 'late'; delayMs: number }
  /** Each event posted twice, byte for byte, as a gateway retrying after a lost answer does. */
  | { kind: 'duplicated' }
  /** `started` held back and posted after `finished` (or `failed`). */
  | { kind: 'out-of-order' };

export interface HttpGatewayOptions {
  key: string;
  /** Loa's `POST /api/gateway/events?speaker=<id>`. */
  eventsUrl: string;
  answer?: GatewayAnswerMode;
  events?: GatewayEventsMode;
  /** A second of audio lasts `timeScale` seconds here, so tests run fast. */
  timeScale?: number;
  /** Size of each Range request for the audio. */
  rangeBytes?: number;
}

/** One request as the gateway saw it. */
export interface GatewayRequest {
  method: string;
  path: string;
  authorized: boolean;
  status: number | null;
}

/** One play command the gateway accepted, and what became of it. */
export interface GatewayPlayback {
  playbackId: string;
  priority: string;
  /** Bytes of audio fetched, and their length by the gateway's own decoding. */
  fetchedBytes: number;
  audioMs: number | null;
  /** Wall-clock instants (ms since the epoch). */
  startedAt: number | null;
  endedAt: number | null;
  outcome: 'fetching' | 'playing' | 'played' | 'stopped' | 'failed';
  reason: string | null;
}

/** An event the gateway posted, with Loa's answer (null until it came, or when it never did). */
export interface PostedEvent {
  body: { playbackId: string; event: 'started' | 'finished' | 'failed'; at: string; reason?: string; nonce: string };
  status: number | null;
}

interface PlayCommand {
  playbackId: string;
  audioUrl: string;
  sha256: string;
  durationMs: number;
  priority: string;
}

const PRIORITIES = ['normal', 'priority', 'emergency'];
const MAX_COMMAND_BYTES = 64 * 1024;
const MAX_AUDIO_BYTES = 64 * 1024 * 1024;
const GARBAGE = '<!doctype html><html><body><h1>Welcome</h1><p>Please sign in to continue.</p></body></html>';

export class HttpGateway {
  readonly requests: GatewayRequest[] = [];
  readonly playbacks: GatewayPlayback[] = [];
  readonly events: PostedEvent[] = [];
  private readonly answerMode: GatewayAnswerMode;
  private readonly eventsMode: GatewayEventsMode;
  private readonly timeScale: number;
  private readonly rangeBytes: number;
  private readonly sockets = new Set<Socket>();
  private readonly closing = new AbortController();
  private readonly work = new Set<Promise<unknown>>();
  private onAir: { playback: GatewayPlayback; stopper: AbortController } | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: HttpGatewayOptions,
  ) {
    this.answerMode = options.answer ?? { kind: 'at-once' };
    this.eventsMode = options.events ?? { kind: 'prompt' };
    this.timeScale = options.timeScale ?? 1;
    this.rangeBytes = options.rangeBytes ?? 16 * 1024;
  }

  static async start(options: HttpGatewayOptions): Promise<HttpGateway> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const gateway = new HttpGateway(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    server.on('connection', (socket) => {
      gateway.sockets.add(socket);
      socket.on('close', () => gateway.sockets.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => gateway.track(gateway.serve(request, response)));
    return gateway;
  }

  /** Until every event of every playback so far has had Loa's answer (or failed to reach it). */
  async settled(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  async close(): Promise<void> {
    this.closing.abort();
    this.onAir?.stopper.abort();
    await this.settled();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const seen: GatewayRequest = { method: request.method ?? '', path: new URL(request.url ?? '/', this.url).pathname, authorized: false, status: null };
    this.requests.push(seen);
    const reply = (status: number, body: unknown, type = 'application/json') => {
      if (response.destroyed) return;
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      seen.status = status;
      response.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(text)) });
      response.end(text);
    };
    const body = await readAll(request, MAX_COMMAND_BYTES);
    if (body === null) return reply(413, { error: 'request too large' });
    if (this.answerMode.kind === 'garbage') return reply(200, GARBAGE, 'text/html');
    if (this.answerMode.kind === 'never') return;
    const check = checkGatewaySignature(this.options.key, request.headers, body);
    if (check !== 'ok') return reply(401, { error: `signature refused (${check})` });
    seen.authorized = true;
    if (this.answerMode.kind === 'drop') return void request.socket.destroy();
    if (this.answerMode.kind === 'slow') await pause(this.answerMode.delayMs, this.closing.signal);

    const route = `${seen.method} ${seen.path}`;
    if (route === 'POST /') return reply(...(await this.play(body)));
    if (route === 'POST /stop') return reply(...this.stop(body));
    if (route === 'GET /health') return reply(200, { ok: true, detail: this.onAir ? `playing ${this.onAir.playback.playbackId}` : 'gateway ready' });
    reply(404, { error: 'not found' });
  }

  private async play(body: Buffer): Promise<[number, unknown]> {
    const command = readCommand(body);
    if (typeof command === 'string') return [400, { accepted: false, reason: command }];
    if (this.onAir) return [503, { accepted: false, reason: `busy playing ${this.onAir.playback.playbackId}` }];
    const playback: GatewayPlayback = {
      playbackId: command.playbackId,
      priority: command.priority,
      fetchedBytes: 0,
      audioMs: null,
      startedAt: null,
      endedAt: null,
      outcome: 'fetching',
      reason: null,
    };
    this.playbacks.push(playback);
    const stopper = new AbortController();
    this.onAir = { playback, stopper };
    const signal = AbortSignal.any([stopper.signal, this.closing.signal]);
    const audio = this.fetchAudio(command, playback, signal);
    if (this.answerMode.kind === 'after-fetch') {
      try {
        await audio;
        this.track(this.perform(playback, audio, signal));
        return [200, { accepted: true }];
      } catch (error) {
        this.end(playback, 'failed', (error as Error).message);
        return [200, { accepted: false, reason: (error as Error).message }];
      }
    }
    audio.catch(() => undefined);
    this.track(this.perform(playback, audio, signal));
    return [202, { accepted: true }];
  }

  private stop(body: Buffer): [number, unknown] {
    let playbackId: unknown;
    try {
      playbackId = (JSON.parse(body.toString('utf8')) as { playbackId?: unknown }).playbackId;
    } catch {
      return [400, { error: 'the command is not JSON' }];
    }
    const stopped = this.onAir !== null && this.onAir.playback.playbackId === playbackId;
    if (stopped) this.onAir!.stopper.abort();
    return [200, { stopped }];
  }

  /** Plays fetched audio for its own length, reporting as it goes. */
  private async perform(playback: GatewayPlayback, audio: Promise<Buffer>, signal: AbortSignal): Promise<void> {
    const report = this.reporter(playback.playbackId);
    try {
      playback.audioMs = await decodedMs(await audio);
      playback.outcome = 'playing';
      playback.startedAt = Date.now();
      report('started');
      await pause(playback.audioMs * this.timeScale, signal);
      this.end(playback, 'played', null);
      report('finished');
    } catch (error) {
      const stopped = signal.aborted;
      this.end(playback, stopped ? 'stopped' : 'failed', stopped ? 'stopped by Loa' : (error as Error).message);
      report('failed', playback.reason!);
    }
    await report.done();
  }

  private end(playback: GatewayPlayback, outcome: GatewayPlayback['outcome'], reason: string | null): void {
    if (playback.endedAt !== null) return;
    playback.outcome = outcome;
    playback.reason = reason;
    playback.endedAt = Date.now();
    if (this.onAir?.playback === playback) this.onAir = null;
  }

  /** Fetches the audio in Range requests and checks it is what the command signed. */
  private async fetchAudio(command: PlayCommand, playback: GatewayPlayback, signal: AbortSignal): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for (;;) {
      const from = playback.fetchedBytes;
      const response = await fetch(command.audioUrl, { headers: { Range: `bytes=${from}-${from + this.rangeBytes - 1}` }, signal });
      const chunk = Buffer.from(await response.arrayBuffer());
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
      const whole = response.status === 200 && from === 0;
      if (!whole && (response.status !== 206 || !range || Number(range[1]) !== from || Number(range[2]) - from + 1 !== chunk.length)) {
        throw new Error(`the audio link answered HTTP ${response.status} without the range asked for`);
      }
      const total = whole ? chunk.length : Number(range![3]);
      if (total > MAX_AUDIO_BYTES) throw new Error(`the audio is larger than ${MAX_AUDIO_BYTES} bytes`);
      chunks.push(chunk);
      playback.fetchedBytes += chunk.length;
      if (playback.fetchedBytes >= total) break;
    }
    const audio = Buffer.concat(chunks);
    if (createHash('sha256').update(audio).digest('hex') !== command.sha256) throw new Error('the audio does not match the SHA-256 in the command');
    return audio;
  }

  /** Posts one playback's events to Loa as the events mode says, in the order it says; `done` waits for them all. */
  private reporter(playbackId: string) {
    let chain = Promise.resolve();
    let heldStart: PostedEvent['body'] | null = null;
    const send = (body: PostedEvent['body']) => {
      chain = chain.then(() => this.deliver(body));
    };
    const report = (event: PostedEvent['body']['event'], reason?: string) => {
      const body: PostedEvent['body'] = { playbackId, event, at: new Date().toISOString(), ...(reason ? { reason } : {}), nonce: randomBytes(16).toString('hex') };
      if (this.eventsMode.kind === 'out-of-order' && event === 'started') {
        heldStart = body;
        return;
      }
      send(body);
      if (heldStart) {
        send(heldStart);
        heldStart = null;
      }
    };
    return Object.assign(report, { done: () => chain });
  }

  private async deliver(body: PostedEvent['body']): Promise<void> {
    if (this.eventsMode.kind === 'late') await pause(this.eventsMode.delayMs, this.closing.signal).catch(() => undefined);
    const text = JSON.stringify(body);
    const headers = { 'Content-Type': 'application/json', ...gatewaySignature(this.options.key, text) };
    for (let copy = 0; copy < (this.eventsMode.kind === 'duplicated' ? 2 : 1); copy++) {
      const posted: PostedEvent = { body, status: null };
      this.events.push(posted);
      try {
        const response = await fetch(this.options.eventsUrl, {
          method: 'POST',
          headers,
          body: text,
          signal: AbortSignal.any([AbortSignal.timeout(5_000), this.closing.signal]),
        });
        posted.status = response.status;
        await response.arrayBuffer();
      } catch {
        // Not delivered: its status stays null.
      }
    }
  }
}

/** The play command's fields, checked as docs/gateway.md says; a string names the problem. */
function readCommand(body: Buffer): PlayCommand | string {
  let command: Record<string, unknown>;
  try {
    command = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'the command is not JSON';
  }
  if (typeof command !== 'object' || command === null) return 'the command is not a JSON object';
  if (typeof command.playbackId !== 'string' || command.playbackId === '') return 'playbackId is missing';
  if (typeof command.audioUrl !== 'string' || !/^https?:\/\//.test(command.audioUrl)) return 'audioUrl must be an http(s) URL';
  if (typeof command.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(command.sha256)) return 'sha256 must be 64 hex digits';
  if (!Number.isInteger(command.durationMs) || (command.durationMs as number) <= 0) return 'durationMs must be a positive integer';
  if (!PRIORITIES.includes(command.priority as string)) return `priority must be one of ${PRIORITIES.join(', ')}`;
  return command as unknown as PlayCommand;
}

/** The audio's length in ms, by decoding it to 8 kHz 16-bit mono and counting the samples. */
async function decodedMs(audio: Buffer): Promise<number> {
  const decoder = spawn('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-f', 's16le', '-ac', '1', '-ar', '8000', 'pipe:1'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let bytes = 0;
  let problems = '';
  decoder.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
  decoder.stderr.on('data', (chunk: Buffer) => (problems += chunk.toString()));
  decoder.stdin.on('error', () => undefined);
  decoder.stdin.end(audio);
  const code = await new Promise<number | null>((resolve, reject) => {
    decoder.once('error', reject);
    decoder.once('close', resolve);
  });
  if (code !== 0 || bytes === 0) throw new Error(`the audio could not be decoded: ${problems.trim().slice(0, 200)}`);
  return (bytes / 2 / 8000) * 1000;
}

async function readAll(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(resolve, Math.max(0, ms));
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      },
      { once: true },
    );
  });
}
