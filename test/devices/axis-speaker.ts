import http, { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { DigestAlgorithm, DigestRealm } from './rfc7616-digest';
import { mulawMs, peakDbfs } from './mulaw';

/**
 * An Axis-style network speaker written from the VAPIX audio API text, for tests: nothing here comes from Loa.
 *
 * `POST /axis-cgi/audio/transmit.cgi` takes G.711 µ-law 8 kHz mono (`audio/basic`) with a Content-Length, behind HTTP
 * Digest (RFC 7616). The device plays audio as it arrives: its playhead starts with the first byte and never runs
 * ahead of what it received. VAPIX promises a response to a successful playback and a closed connection for a failed
 * one, but not when; how this device answers is its mode. While it plays (until its last received byte has been
 * heard) another transmit gets 503. `GET /axis-cgi/param.cgi?action=list&group=Properties.Audio` lists its audio.
 *
 * Time is scaled: a second of audio lasts `timeScale` seconds here, so tests run fast.
 */
export type AxisSpeakerMode =
  /** Reads everything at once, answers 200 when the last byte has been heard. */
  | { kind: 'answer-at-end' }
  /** Holds at most `bufferMs` of audio ahead of its playhead; answers 200 as soon as it holds the whole body. */
  | { kind: 'playout-buffer'; bufferMs: number }
  /** Reads no faster than it plays (TCP back-pressure at the audio's rate); answers 200 at the end. */
  | { kind: 'slow-reader' }
  /** Closes the connection without an answer once it received `afterMs` of audio, as a failing device does. */
  | { kind: 'drop-mid-stream'; afterMs: number }
  /** Takes the audio and never answers. */
  | { kind: 'mute' }
  /** Answers 200 on the first byte of audio without waiting for the rest (a device, or something else, that does not play it). */
  | { kind: 'answer-at-once' };

export interface AxisSpeakerOptions {
  mode?: AxisSpeakerMode;
  /** 0 (the default) picks a free port. */
  port?: number;
  username?: string;
  password?: string;
  algorithm?: DigestAlgorithm;
  nonceTtlMs?: number;
  timeScale?: number;
  /**
   * The text of its answers to a transmit (busy or done); by default the status's own words. Something else at a
   * speaker's address (a captive portal, a router) answers with a page of its own.
   */
  transmitAnswerText?: string;
}

/** One request as the device saw it. */
export interface DeviceRequest {
  method: string;
  target: string;
  authorized: boolean;
  status: number | null;
}

/** What the device made of one authorized transmit. */
export interface Transmission {
  contentLength: number;
  bytes: number;
  /** The audio received, byte for byte (once the body ended or the connection closed). */
  audio: Buffer;
  /** Audio received, by µ-law accounting. */
  audioMs: number;
  peakDbfs: number;
  /** Wall-clock instants (ms since the epoch). */
  firstByteAt: number | null;
  lastByteAt: number | null;
  /** When the last byte received is heard (the end of the sound), given the device's playhead. */
  heardUntil: number | null;
  answeredAt: number | null;
  /** When the connection closed before an answer (a drop by either side). */
  closedAt: number | null;
  outcome: 'receiving' | 'played' | 'cut' | 'dropped' | 'unanswered' | 'answered-at-once';
}

const SCALE_DEFAULT = 1;
const TRANSMIT = '/axis-cgi/audio/transmit.cgi';
const PARAMS = '/axis-cgi/param.cgi';
/** VAPIX `Properties.Audio` of a network speaker that can receive audio. */
const AUDIO_PROPERTIES = [
  'root.Properties.Audio.Audio=yes',
  'root.Properties.Audio.DuplexMode=half,post',
  'root.Properties.Audio.Format=g711,g726,aac,opus',
  'root.Properties.Audio.Decoder.Format=g711,axis-mulaw-128',
];

export class AxisSpeaker {
  readonly requests: DeviceRequest[] = [];
  readonly transmissions: Transmission[] = [];
  private readonly digest: DigestRealm;
  private readonly mode: AxisSpeakerMode;
  private readonly timeScale: number;
  private readonly transmitAnswerText: string | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Until when the device is playing something (wall clock): a transmit before then gets 503. */
  private playingUntil = 0;
  private receiving = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    options: AxisSpeakerOptions,
  ) {
    this.mode = options.mode ?? { kind: 'answer-at-end' };
    this.timeScale = options.timeScale ?? SCALE_DEFAULT;
    this.transmitAnswerText = options.transmitAnswerText;
    this.digest = new DigestRealm(
      'AXIS_ACCC8E4F2A10',
      new Map([[options.username ?? 'root', options.password ?? 'pass']]),
      options.algorithm ?? 'MD5',
      options.nonceTtlMs ?? 300_000,
    );
  }

  static async start(options: AxisSpeakerOptions = {}): Promise<AxisSpeaker> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    const speaker = new AxisSpeaker(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options);
    server.on('connection', (socket) => {
      speaker.sockets.add(socket);
      socket.on('close', () => speaker.sockets.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => speaker.handle(request, response));
    return speaker;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  /** Transmissions the device played to the end and answered. */
  get played(): Transmission[] {
    return this.transmissions.filter((transmission) => transmission.outcome === 'played');
  }

  /** A transmission is under way: its audio has begun to arrive and the device has not answered or lost it yet. */
  get onAir(): boolean {
    return this.transmissions.some((transmission) => transmission.outcome === 'receiving' && transmission.firstByteAt !== null);
  }

  /** The next Digest answer with a nonce issued so far is stale (401 with stale=true). */
  expireNonces(): void {
    this.digest.expireNonces();
  }

  /** Plays something of its own (a local source) for `audioMs`: transmits meanwhile get 503. */
  occupy(audioMs: number): void {
    this.playingUntil = Math.max(this.playingUntil, Date.now() + audioMs * this.timeScale);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const seen: DeviceRequest = { method: request.method ?? '', target: request.url ?? '', authorized: false, status: null };
    this.requests.push(seen);
    const reply = (status: number, body = '', headers: Record<string, string> = {}) => {
      seen.status = status;
      response.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
      response.end(body);
    };
    const path = seen.target.split('?')[0];
    const verdict = this.digest.verify(seen.method, seen.target, request.headers.authorization);
    if (verdict !== 'ok') {
      request.resume();
      return reply(401, 'Unauthorized', { 'WWW-Authenticate': this.digest.challenge(verdict === 'stale') });
    }
    seen.authorized = true;
    if (seen.method === 'GET' && path === PARAMS) {
      const group = new URL(seen.target, 'http://device').searchParams.get('group');
      return reply(200, group === 'Properties.Audio' ? `${AUDIO_PROPERTIES.join('\n')}\n` : `# Error: Error -1 getting param in group '${group}'\n`);
    }
    if (seen.method !== 'POST' || path !== TRANSMIT) {
      request.resume();
      return reply(404, 'Not Found');
    }
    if (this.receiving || Date.now() < this.playingUntil) {
      request.resume();
      return reply(503, this.transmitAnswerText ?? 'Service Unavailable');
    }
    if (request.headers['content-type'] !== 'audio/basic') {
      request.resume();
      return reply(415, 'Unsupported Media Type');
    }
    const contentLength = Number(request.headers['content-length']);
    if (!Number.isInteger(contentLength) || contentLength < 0) {
      request.resume();
      return reply(411, 'Length Required');
    }
    this.transmit(request, contentLength, (status) => reply(status, this.transmitAnswerText));
  }

  /** Receives and plays one transmit as the mode says; `answer` sends the HTTP answer. */
  private transmit(request: IncomingMessage, contentLength: number, answer: (status: number) => void): void {
    const transmission: Transmission = {
      contentLength,
      bytes: 0,
      audio: Buffer.alloc(0),
      audioMs: 0,
      peakDbfs: -Infinity,
      firstByteAt: null,
      lastByteAt: null,
      heardUntil: null,
      answeredAt: null,
      closedAt: null,
      outcome: 'receiving',
    };
    this.transmissions.push(transmission);
    this.receiving = true;
    const chunks: Buffer[] = [];
    const scaled = (audioMs: number) => audioMs * this.timeScale;
    /** Audio ms the device reads ahead of its playhead before it stops reading. */
    const aheadMs = this.mode.kind === 'playout-buffer' ? this.mode.bufferMs : this.mode.kind === 'slow-reader' ? 0 : Infinity;
    const finish = (outcome: Transmission['outcome']) => {
      if (transmission.outcome !== 'receiving') return;
      transmission.outcome = outcome;
      this.receiving = false;
      this.playingUntil = Math.max(this.playingUntil, transmission.heardUntil ?? 0);
    };
    const later = (ms: number, work: () => void) => {
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          work();
        },
        Math.max(0, ms),
      );
      this.timers.add(timer);
    };

    request.on('data', (chunk: Buffer) => {
      const now = Date.now();
      transmission.firstByteAt ??= now;
      transmission.lastByteAt = now;
      transmission.bytes += chunk.length;
      transmission.audioMs = mulawMs(transmission.bytes);
      chunks.push(chunk);
      transmission.peakDbfs = Math.max(transmission.peakDbfs, peakDbfs(chunk));
      // Heard from the later of its arrival and the end of what came before it.
      transmission.heardUntil = Math.max(now, transmission.heardUntil ?? now) + scaled(mulawMs(chunk.length));
      if (this.mode.kind === 'drop-mid-stream' && transmission.audioMs >= this.mode.afterMs) {
        transmission.closedAt = now;
        finish('dropped');
        request.socket.destroy();
        return;
      }
      if (this.mode.kind === 'answer-at-once' && transmission.outcome === 'receiving') {
        transmission.answeredAt = now;
        finish('answered-at-once');
        answer(200);
        return;
      }
      const heldMs = transmission.heardUntil - now;
      if (heldMs > scaled(aheadMs)) {
        request.pause();
        later(heldMs - scaled(aheadMs), () => request.resume());
      }
    });
    request.on('end', () => {
      transmission.audio = Buffer.concat(chunks);
      const heardUntil = transmission.heardUntil ?? Date.now();
      if (this.mode.kind === 'mute') {
        transmission.outcome = 'unanswered';
        return;
      }
      const answerNow = () => {
        if (transmission.outcome !== 'receiving') return;
        transmission.answeredAt = Date.now();
        finish('played');
        answer(200);
      };
      // A playout buffer answers as soon as it holds the whole body; the others once the last byte has been heard.
      if (this.mode.kind === 'playout-buffer') answerNow();
      else later(heardUntil - Date.now(), answerNow);
    });
    request.socket.once('close', () => {
      transmission.audio = Buffer.concat(chunks);
      if (transmission.outcome === 'unanswered') this.receiving = false;
      if (transmission.outcome !== 'receiving' && transmission.outcome !== 'unanswered') return;
      transmission.closedAt = Date.now();
      if (transmission.outcome === 'unanswered') return;
      // The sender hung up: the device plays out what it already holds, then falls silent.
      finish('cut');
    });
  }
}
