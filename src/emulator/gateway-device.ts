import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayEventName } from '../speakers/drivers/gateway-event';
import { signedHeaders, verifySignature } from '../speakers/drivers/gateway-signature';
import { GATEWAY_PATHS, GatewayPlayCommand } from '../speakers/drivers/http-gateway/http-gateway.driver';
import { PLAYBACK_PRIORITIES } from '../speakers/drivers/speaker-driver';
import { AudioDecoder } from './audio-decoder';
import { EmulatedDevice, EmulatedPlayback, EmulatedRequest, EmulatorFault, EmulatorLog, EmulatorRecords, PostedEvent } from './emulator-records';
import { answerJson, readBody } from './http-helpers';

export interface GatewayDeviceOptions {
  key: string;
  /** Where events are posted: Loa's `POST /api/gateway/events`. */
  eventsUrl: string;
  timeScale: number;
  fault: EmulatorFault | null;
  /** Size of each Range request when fetching the audio. */
  rangeChunkBytes: number;
  workDir: string;
  decoder: AudioDecoder;
  log: EmulatorLog;
}

const MAX_COMMAND_BYTES = 64 * 1024;
const MAX_AUDIO_BYTES = 256 * 1024 * 1024;
const EVENT_POST_TIMEOUT_MS = 5_000;
const MAX_REASON_CHARS = 500;

interface OnAir {
  playback: EmulatedPlayback;
  stopper: AbortController;
  done: Promise<void>;
}

/** The play command's fields, checked as a gateway would before accepting it; a string names the problem. */
function readCommand(body: Buffer): GatewayPlayCommand | string {
  let command: Partial<Record<keyof GatewayPlayCommand, unknown>>;
  try {
    command = JSON.parse(body.toString('utf8'));
  } catch {
    return 'the command is not JSON';
  }
  if (typeof command.playbackId !== 'string' || command.playbackId === '') return 'playbackId is missing';
  if (typeof command.audioUrl !== 'string' || !/^https?:\/\//.test(command.audioUrl)) return 'audioUrl must be an http(s) URL';
  if (typeof command.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(command.sha256)) return 'sha256 must be 64 hex digits';
  if (!Number.isInteger(command.durationMs) || (command.durationMs as number) <= 0) return 'durationMs must be a positive integer';
  if (!(PLAYBACK_PRIORITIES as readonly unknown[]).includes(command.priority)) return `priority must be one of ${PLAYBACK_PRIORITIES.join(', ')}`;
  return command as GatewayPlayCommand;
}

/**
 * A vendor gateway speaking Loa's http-gateway protocol: verifies signed commands, fetches the audio from the
 * signed URL in Range requests, checks its SHA-256, decodes it, "plays" it for its duration times the time scale,
 * and posts signed started / finished / failed events.
 */
export class GatewayDevice implements EmulatedDevice {
  private onAir: OnAir | null = null;

  constructor(
    private readonly options: GatewayDeviceOptions,
    private readonly records: EmulatorRecords,
  ) {}

  handle(request: IncomingMessage, response: ServerResponse, entry: EmulatedRequest): void {
    void this.serve(request, response, entry);
  }

  async close(): Promise<void> {
    this.onAir?.stopper.abort();
    await this.onAir?.done;
  }

  private async serve(request: IncomingMessage, response: ServerResponse, entry: EmulatedRequest): Promise<void> {
    const body = await readBody(request, MAX_COMMAND_BYTES);
    if (body === null) return answerJson(response, entry, 413, { error: 'command too large' });
    const verdict =
      this.options.fault === 'wrong-password'
        ? { ok: false, reason: 'mismatch' }
        : verifySignature({ key: this.options.key, timestamp: request.headers['x-loa-timestamp'], signature: request.headers['x-loa-signature'], body });
    if (!verdict.ok) return answerJson(response, entry, 401, { error: `signature refused (${verdict.reason})` });
    entry.authorized = true;
    if (this.options.fault === 'drop') return void request.socket.destroy();

    const route = `${request.method} ${new URL(request.url ?? '/', 'http://gateway').pathname}`;
    if (route === `POST /${GATEWAY_PATHS.play}`) this.play(body, response, entry);
    else if (route === `GET ${GATEWAY_PATHS.health}`) {
      answerJson(response, entry, 200, { ok: true, detail: this.onAir ? `playing ${this.onAir.playback.playbackId}` : 'gateway emulator ready' });
    } else if (route === `POST ${GATEWAY_PATHS.stop}`) this.stop(body, response, entry);
    else answerJson(response, entry, 404, { error: 'not found' });
  }

  private play(body: Buffer, response: ServerResponse, entry: EmulatedRequest): void {
    const command = readCommand(body);
    if (typeof command === 'string') return answerJson(response, entry, 400, { accepted: false, reason: command });
    if (this.onAir) return answerJson(response, entry, 503, { accepted: false, reason: `busy playing ${this.onAir.playback.playbackId}` });
    const playback: EmulatedPlayback = {
      playbackId: command.playbackId,
      startedAt: new Date(),
      endedAt: null,
      receivedBytes: 0,
      decodedSeconds: null,
      maxVolumeDb: null,
      outcome: 'playing',
      reason: null,
    };
    this.records.playbacks.push(playback);
    const stopper = new AbortController();
    this.onAir = { playback, stopper, done: this.run(command, playback, stopper.signal) };
    answerJson(response, entry, 202, { accepted: true });
  }

  private stop(body: Buffer, response: ServerResponse, entry: EmulatedRequest): void {
    let playbackId: unknown;
    try {
      playbackId = JSON.parse(body.toString('utf8')).playbackId;
    } catch {
      return answerJson(response, entry, 400, { error: 'the command is not JSON' });
    }
    const stopped = this.onAir !== null && this.onAir.playback.playbackId === playbackId;
    if (stopped) this.onAir!.stopper.abort();
    answerJson(response, entry, 200, { stopped });
  }

  private async run(command: GatewayPlayCommand, playback: EmulatedPlayback, signal: AbortSignal): Promise<void> {
    const path = join(this.options.workDir, `${randomUUID()}.audio`);
    try {
      await this.fetchAudio(command, playback, path, signal);
      const decoded = await this.options.decoder.rendition(path, command.durationMs / 1000 + 60);
      if (decoded.seconds === null) throw new Error('the audio could not be decoded');
      playback.decodedSeconds = decoded.seconds;
      playback.maxVolumeDb = decoded.maxVolumeDb;
      await this.post(command.playbackId, 'started');
      await sleep(decoded.seconds * 1000 * this.options.timeScale, undefined, { signal });
      this.finish(playback, 'played', null);
      await this.post(command.playbackId, 'finished');
    } catch (error) {
      const reason = signal.aborted ? 'stopped by Loa' : (error as Error).message.slice(0, MAX_REASON_CHARS);
      this.finish(playback, signal.aborted ? 'interrupted' : 'failed', reason);
      await this.post(command.playbackId, 'failed', reason);
    } finally {
      await rm(path, { force: true });
    }
  }

  /** Downloads the audio in Range requests, as gateways on weak links do, and checks it is what Loa signed. */
  private async fetchAudio(command: GatewayPlayCommand, playback: EmulatedPlayback, path: string, signal: AbortSignal): Promise<void> {
    const file = await open(path, 'w');
    const hash = createHash('sha256');
    try {
      for (;;) {
        const offset = playback.receivedBytes;
        const response = await fetch(command.audioUrl, { headers: { Range: `bytes=${offset}-${offset + this.options.rangeChunkBytes - 1}` }, signal });
        const chunk = Buffer.from(await response.arrayBuffer());
        const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
        // A server without Range support sends the whole file at once.
        const whole = response.status === 200 && offset === 0;
        if (!whole && (response.status !== 206 || !range || Number(range[1]) !== offset || Number(range[2]) - offset + 1 !== chunk.length)) {
          throw new Error(`the audio URL answered HTTP ${response.status} without the range asked for`);
        }
        const total = whole ? chunk.length : Number(range![3]);
        if (total > MAX_AUDIO_BYTES) throw new Error(`the audio is larger than ${MAX_AUDIO_BYTES} bytes`);
        await file.write(chunk);
        hash.update(chunk);
        playback.receivedBytes += chunk.length;
        if (playback.receivedBytes >= total) break;
      }
    } finally {
      await file.close();
    }
    if (hash.digest('hex') !== command.sha256) throw new Error('the audio does not match the SHA-256 in the command');
  }

  private finish(playback: EmulatedPlayback, outcome: EmulatedPlayback['outcome'], reason: string | null): void {
    playback.outcome = outcome;
    playback.reason = reason;
    playback.endedAt = new Date();
    if (this.onAir?.playback === playback) this.onAir = null;
    this.options.log({ event: 'playback', ...playback });
  }

  /** Posts one signed event to Loa; the answer's status is recorded, a failure to deliver leaves it null. */
  private async post(playbackId: string, event: GatewayEventName, reason?: string): Promise<void> {
    const body = { playbackId, event, at: new Date().toISOString(), ...(reason ? { reason } : {}), nonce: randomBytes(16).toString('hex') };
    const posted: PostedEvent = { body, status: null };
    this.records.events.push(posted);
    const text = JSON.stringify(body);
    try {
      const response = await fetch(this.options.eventsUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...signedHeaders(this.options.key, text) },
        body: text,
        signal: AbortSignal.timeout(EVENT_POST_TIMEOUT_MS),
      });
      posted.status = response.status;
      await response.arrayBuffer();
    } catch (error) {
      this.options.log({ event: 'event-not-delivered', playbackId, reason: (error as Error).message });
    }
    this.options.log({ event: 'event-posted', ...posted });
  }
}
