import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AudioDecoder } from './audio-decoder';
import { DigestGuard } from './digest-guard';
import { EmulatedDevice, EmulatedPlayback, EmulatedRequest, EmulatorFault, EmulatorLog, EmulatorRecords } from './emulator-records';
import { answer } from './http-helpers';

export interface AxisDeviceOptions {
  username: string;
  password: string;
  timeScale: number;
  fault: EmulatorFault | null;
  nonceTtlMs: number;
  /** Where received audio is written for decoding; removed by the emulator. */
  workDir: string;
  decoder: AudioDecoder;
  log: EmulatorLog;
}

/** What `param.cgi?action=list&group=Properties.Audio` lists on an Axis network speaker. */
const AUDIO_PROPERTIES = [
  'root.Properties.Audio.Audio=yes',
  'root.Properties.Audio.DuplexMode=half,post,get',
  'root.Properties.Audio.Format=lpcm,g711,g726,aac,opus',
  'root.Properties.Audio.InputType=internal',
  'root.Properties.Audio.Decoder.Format=g711,g726,axis-mulaw-128',
  'root.Properties.Audio.Source.A0.Input=yes',
  'root.Properties.Audio.Source.A0.Output=yes',
];

/**
 * An Axis network speaker's VAPIX audio API: Digest-protected param.cgi and transmit.cgi. A transmit is played
 * as it arrives and answered 200 only after the audio's duration (times the time scale); a second transmit
 * meanwhile gets 503; a dropped connection ends the playback.
 */
export class AxisDevice implements EmulatedDevice {
  private readonly guard: DigestGuard;
  private playing: EmulatedPlayback | null = null;

  constructor(
    private readonly options: AxisDeviceOptions,
    private readonly records: EmulatorRecords,
  ) {
    this.guard = new DigestGuard({
      username: options.username,
      password: options.password,
      nonceTtlMs: options.nonceTtlMs,
      refuseAll: options.fault === 'wrong-password',
    });
  }

  handle(request: IncomingMessage, response: ServerResponse, entry: EmulatedRequest): void {
    const url = new URL(request.url ?? '/', 'http://device');
    // drop: authenticated, then the link fails: param.cgi at once, transmit.cgi halfway through the audio.
    const drop = this.options.fault === 'drop';
    if (request.method === 'GET' && url.pathname === '/axis-cgi/param.cgi') {
      if (!this.authorized(request, response, entry)) return;
      if (drop) request.socket.destroy();
      else this.listParameters(url, response, entry);
    } else if (request.method === 'POST' && url.pathname === '/axis-cgi/audio/transmit.cgi') {
      if (!this.authorized(request, response, entry)) return;
      if (drop) this.transmitThenDrop(request);
      else void this.transmit(request, response, entry);
    } else {
      request.resume();
      answer(response, entry, 404, 'Not Found');
    }
  }

  /** Playbacks end with their connections, which the emulator closes. */
  async close(): Promise<void> {}

  /** Answers 401 with a challenge unless the request carries a right Digest answer. */
  private authorized(request: IncomingMessage, response: ServerResponse, entry: EmulatedRequest): boolean {
    const check = this.guard.check(request.method ?? '', request.url ?? '', request.headers.authorization);
    if (check === 'ok') {
      entry.authorized = true;
      return true;
    }
    request.resume();
    answer(response, entry, 401, 'Unauthorized', { 'WWW-Authenticate': this.guard.challenge(check === 'stale') });
    return false;
  }

  private listParameters(url: URL, response: ServerResponse, entry: EmulatedRequest): void {
    const group = url.searchParams.get('group') ?? '';
    const body =
      url.searchParams.get('action') === 'list' && (group === 'Properties.Audio' || group === 'Properties')
        ? `${AUDIO_PROPERTIES.join('\n')}\n`
        : `# Error: Error -1 getting param in group '${group}'\n`;
    answer(response, entry, 200, body);
  }

  private async transmit(request: IncomingMessage, response: ServerResponse, entry: EmulatedRequest): Promise<void> {
    if (this.playing) {
      request.resume();
      return answer(response, entry, 503, 'Service Unavailable');
    }
    if (request.headers['content-type'] !== 'audio/basic') {
      request.resume();
      return answer(response, entry, 415, 'Unsupported Media Type: send audio/basic (G.711 u-law, 8 kHz, mono)');
    }
    if (request.headers['content-length'] === undefined) {
      request.resume();
      return answer(response, entry, 411, 'Length Required');
    }
    const playback = this.startPlayback();
    const interrupted = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) interrupted.abort();
    });
    try {
      const path = await this.receive(request, playback, interrupted.signal);
      const seconds = await this.decode(path, playback);
      await sleep(playback.startedAt.getTime() + seconds * 1000 * this.options.timeScale - Date.now(), undefined, { signal: interrupted.signal });
      this.finish(playback, 'played', null);
      answer(response, entry, 200, '');
    } catch (error) {
      // The request stream may hear of a dropped connection before the response does.
      if (interrupted.signal.aborted || request.socket.destroyed) this.finish(playback, 'interrupted', 'the connection was closed during the playback');
      else {
        // A real device that cannot play closes the connection without an answer.
        this.finish(playback, 'failed', (error as Error).message);
        request.socket.destroy();
      }
    }
  }

  /** Receives about half of the audio, then drops the connection as a failing device or link does. */
  private transmitThenDrop(request: IncomingMessage): void {
    const playback = this.startPlayback();
    const expected = Number(request.headers['content-length'] ?? 0);
    request.on('data', (chunk: Buffer) => {
      playback.receivedBytes += chunk.length;
      if (playback.receivedBytes >= expected / 2) request.socket.destroy();
    });
    request.socket.once('close', () => this.finish(playback, 'dropped', 'the emulator dropped the connection mid-stream'));
  }

  private startPlayback(): EmulatedPlayback {
    const playback: EmulatedPlayback = {
      playbackId: null,
      startedAt: new Date(),
      endedAt: null,
      receivedBytes: 0,
      decodedSeconds: null,
      maxVolumeDb: null,
      outcome: 'playing',
      reason: null,
    };
    this.playing = playback;
    this.records.playbacks.push(playback);
    return playback;
  }

  /** The transmitted audio in a file; fails as soon as the connection closes before all of it arrived. */
  private receive(request: IncomingMessage, playback: EmulatedPlayback, interrupted: AbortSignal): Promise<string> {
    const path = join(this.options.workDir, `${randomUUID()}.mulaw`);
    return new Promise((resolve, reject) => {
      const file = createWriteStream(path);
      let written = false;
      const closed = () => {
        file.destroy();
        reject(new Error('the connection was closed while receiving'));
      };
      request.on('data', (chunk: Buffer) => (playback.receivedBytes += chunk.length));
      request.on('close', () => {
        if (!request.complete) closed();
      });
      // The response's close is the one signal a dropped connection always gives, even when the request had all its
      // bytes but its stream had not handed them all to the file yet (then it never ends, and the file never finishes).
      interrupted.addEventListener(
        'abort',
        () => {
          if (!written) closed();
        },
        { once: true },
      );
      file.on('finish', () => {
        written = true;
        resolve(path);
      });
      file.on('error', reject);
      request.pipe(file);
    });
  }

  /** Seconds of audio received, as ffmpeg decodes them; an empty transmit plays nothing. */
  private async decode(path: string, playback: EmulatedPlayback): Promise<number> {
    try {
      const decoded = playback.receivedBytes === 0 ? { seconds: 0, maxVolumeDb: null } : await this.options.decoder.mulaw(path);
      if (decoded.seconds === null) throw new Error('ffmpeg could not decode the received audio');
      playback.decodedSeconds = decoded.seconds;
      playback.maxVolumeDb = decoded.maxVolumeDb;
      return decoded.seconds;
    } finally {
      await rm(path, { force: true });
    }
  }

  private finish(playback: EmulatedPlayback, outcome: EmulatedPlayback['outcome'], reason: string | null): void {
    playback.outcome = outcome;
    playback.reason = reason;
    playback.endedAt = new Date();
    if (this.playing === playback) this.playing = null;
    this.options.log({ event: 'playback', ...playback });
  }
}
