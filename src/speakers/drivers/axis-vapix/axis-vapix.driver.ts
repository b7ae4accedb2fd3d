import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { deviceUrl } from '../base-url';
import { printable, summarizeDevice } from '../device-summary';
import { DriverError, playbackStopped } from '../driver-error';
import { exchange, ExchangeRequest, ExchangeResponse } from '../http-exchange';
import {
  DEFAULT_DRIVER_LIMITS,
  DriverLimits,
  DriverTarget,
  EvidenceLevel,
  HealthResult,
  ItemEvidence,
  PlaybackEvidence,
  PlaybackRequest,
  ProgramItem,
  SpeakerDriver,
} from '../speaker-driver';
import { BodyPace } from '../paced-files';
import { audioCapability, parseParameterList } from './axis-parameters';
import { AxisVapixSecrets, AxisVapixSettings } from './axis-vapix.config';
import { DigestClient } from './digest-client';

export const TRANSMIT_PATH = '/axis-cgi/audio/transmit.cgi';
export const AUDIO_PROPERTIES_PATH = '/axis-cgi/param.cgi?action=list&group=Properties.Audio';

export interface AxisVapixOptions extends DriverLimits {
  /**
   * How fast the device plays audio relative to real time: 1 for real speakers, the emulator's time scale in
   * tests. The audio is streamed at its own rate divided by this.
   */
  deviceTimeScale: number;
}

export const DEFAULT_AXIS_OPTIONS: Readonly<AxisVapixOptions> = { ...DEFAULT_DRIVER_LIMITS, deviceTimeScale: 1 };

/** G.711 µ-law at 8 kHz: one byte a sample. */
const MULAW_BYTES_PER_MS = 8;
/** Audio sent ahead of real time, as a real-time streamer does: a stop cuts the sound within about this much. */
export const STREAM_LEAD_MS = 500;
/** Audio per write while streaming. */
const STREAM_CHUNK_MS = 200;

type AxisTarget = DriverTarget<AxisVapixSettings, AxisVapixSecrets>;

/**
 * Axis network speakers (VAPIX): the whole program (chime, then bulletins) is posted to transmit.cgi as one G.711
 * µ-law stream, paced at the audio's own rate, so the connection spans the playback and dropping it (a stop) cuts
 * the sound. VAPIX says a successful playback gets a response and a failed one a closed connection, not when: a 2xx
 * is the device's report that it took the audio (a playout buffer answers before its end is heard).
 */
export class AxisVapixDriver implements SpeakerDriver<AxisVapixSettings, AxisVapixSecrets> {
  readonly name = 'axis-vapix';
  readonly audioFormat = 'mulaw';
  readonly settingsClass = AxisVapixSettings;
  readonly secretsClass = AxisVapixSecrets;

  private readonly options: AxisVapixOptions;
  private readonly digest = new DigestClient();
  /** Transmits on air, by playback id: stopping one drops its connection, which ends the playback. */
  private readonly onAir = new Map<string, AbortController>();

  constructor(options: Partial<AxisVapixOptions> = {}) {
    this.options = { ...DEFAULT_AXIS_OPTIONS, ...options };
  }

  async play(target: AxisTarget, request: PlaybackRequest): Promise<ItemEvidence[]> {
    if (this.onAir.has(request.playbackId)) {
      throw new DriverError('busy', `Playback ${request.playbackId} is already being transmitted to this speaker`);
    }
    const stopper = new AbortController();
    this.onAir.set(request.playbackId, stopper);
    try {
      return await this.transmit(target, request, AbortSignal.any([request.signal, stopper.signal]));
    } finally {
      this.onAir.delete(request.playbackId);
    }
  }

  async stop(_target: AxisTarget, playbackId: string): Promise<boolean> {
    const stopper = this.onAir.get(playbackId);
    stopper?.abort(playbackStopped(playbackId));
    return stopper !== undefined;
  }

  async checkHealth(target: AxisTarget): Promise<HealthResult> {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    try {
      const url = deviceUrl(target.settings.url, AUDIO_PROPERTIES_PATH);
      const response = await this.digest.request({
        sessionKey: this.sessionKey(target),
        credentials: target.secrets,
        method: 'GET',
        uri: url.pathname + url.search,
        send: (authorization) =>
          exchange({
            ...this.requestBase(url, 'GET'),
            headers: authorization ? { Authorization: authorization } : {},
            answerTimeoutMs: this.options.responseTimeoutMs,
          }),
      });
      if (response.status !== 200) throw statusError(url, response);
      const list = parseParameterList(response.body.toString('latin1'), 'Properties.Audio');
      if (!list.ok) throw new DriverError('protocol', printable(`${url.host} is not answering like an Axis device: ${list.problem}`));
      const capability = audioCapability(list.parameters);
      return capability.ready
        ? { ok: true, latencyMs: latencyMs(), detail: printable(capability.detail) }
        : { ok: false, latencyMs: latencyMs(), detail: printable(capability.detail), errorKind: 'rejected' };
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      return { ok: false, latencyMs: latencyMs(), detail: error.message, errorKind: error.kind };
    }
  }

  private async transmit(target: AxisTarget, request: PlaybackRequest, signal: AbortSignal): Promise<ItemEvidence[]> {
    const url = deviceUrl(target.settings.url, TRANSMIT_PATH);
    const stream = await programStream(request.program);
    const streamMs = stream.bytes / MULAW_BYTES_PER_MS;
    const playMs = streamMs * this.options.deviceTimeScale;
    // Set from the exchange's callback, which TypeScript's narrowing cannot see.
    let commandedAt = null as Date | null;
    const evidence = (level: EvidenceLevel, device: Record<string, unknown>, items = stream.items, extra: Partial<PlaybackEvidence> = {}): ItemEvidence[] =>
      items.map((item) => ({
        bulletinId: item.bulletinId,
        evidence: {
          level,
          commandedAt: commandedAt!,
          offsetMs: item.offsetMs,
          device: summarizeDevice({ audioBytes: stream.bytes, audioMs: Math.round(streamMs), durationMs: item.durationMs, ...device }),
          ...extra,
        },
      }));
    const sentItems = (sentBytes: number) => stream.items.filter((item) => item.offsetBytes < sentBytes);

    let response: ExchangeResponse;
    try {
      response = await this.digest.request({
        sessionKey: this.sessionKey(target),
        credentials: target.secrets,
        method: 'POST',
        uri: url.pathname,
        probe: () =>
          exchange({
            ...this.requestBase(url, 'POST', signal),
            headers: { 'Content-Type': 'audio/basic' },
            body: Buffer.alloc(0),
            answerTimeoutMs: this.options.responseTimeoutMs,
          }),
        send: (authorization) =>
          exchange({
            ...this.requestBase(url, 'POST', signal),
            headers: { 'Content-Type': 'audio/basic', ...(authorization ? { Authorization: authorization } : {}) },
            body: { paths: stream.paths, bytes: stream.bytes, pace: realTimePace(this.options.deviceTimeScale) },
            answerTimeoutMs: playMs + this.options.responseTimeoutMs,
            onSent: (at) => (commandedAt = at),
            closedWithoutAnswer: (sent) => {
              const error = new DriverError(
                'rejected',
                `${url.host} closed the connection without confirming the playback (after ${sent} of ${stream.bytes} bytes): the program did not play, or not to the end`,
              );
              return error.withEvidence(evidence('commanded', { sentBytes: sent }, sentItems(sent)));
            },
          }),
      });
    } catch (error) {
      // The audio went out: a timeout may still have reached listeners.
      if (error instanceof DriverError && commandedAt && error.kind !== 'auth' && !error.evidence) throw error.withEvidence(evidence('commanded', {}));
      throw error;
    }

    if (response.status < 200 || response.status > 299) throw statusError(url, response);
    const answeredAfterMs = Date.now() - commandedAt!.getTime();
    // The device's status and server name, never its body text: whatever answers at a speaker's address (a captive
    // portal, a router's page) must not reach every role's screens through the evidence.
    const answer = { status: response.status, server: response.headers.server ?? null, answeredAfterMs };
    // A 2xx is the device's report that it took the audio, whenever it comes (a playout buffer answers before the end
    // is heard); but a device that answered before Loa had sent the whole program cannot hold all of it.
    if (response.bodyBytesSent < stream.bytes) {
      throw new DriverError(
        'protocol',
        `${url.host} answered ${response.status} after only ${response.bodyBytesSent} of ${stream.bytes} bytes had been sent: it did not take the whole program`,
        evidence('commanded', { ...answer, sentBytes: response.bodyBytesSent }, sentItems(response.bodyBytesSent)),
      );
    }
    return evidence('device_reported', answer, stream.items, { finishedAt: new Date() });
  }

  private requestBase(url: URL, method: 'GET' | 'POST', signal?: AbortSignal): Omit<ExchangeRequest, 'answerTimeoutMs'> {
    return {
      url,
      method,
      connectTimeoutMs: this.options.connectTimeoutMs,
      allowLoopback: this.options.allowLoopback,
      maxResponseBytes: this.options.maxResponseBytes,
      signal,
    };
  }

  private sessionKey(target: AxisTarget): string {
    return `${new URL(target.settings.url).origin}|${target.secrets.username}`;
  }
}

/** A non-200 answer of an Axis device, as an error a person can act on (its status, never its body text). */
function statusError(url: URL, response: ExchangeResponse): DriverError {
  const status = `HTTP ${response.status}`;
  if (response.status === 503) return new DriverError('busy', `${url.host} is already playing something (${status})`);
  if (response.status === 403) return new DriverError('auth', `${url.host} refused the account (${status}): it needs operator rights to play audio`);
  if (response.status === 404) {
    return new DriverError('rejected', `${url.host} has no ${url.pathname} (${status}): check that it is an Axis speaker with audio enabled`);
  }
  if (response.status >= 400) return new DriverError('rejected', `${url.host} refused the request (${status})`);
  return new DriverError('protocol', `${url.host} answered ${status} where 200 was expected`);
}

interface StreamItem {
  bulletinId: string;
  offsetBytes: number;
  offsetMs: number;
  durationMs: number;
}

/** The program as one µ-law stream: its files in order, and where each item starts in it. */
async function programStream(program: ProgramItem[]): Promise<{ paths: string[]; bytes: number; items: StreamItem[] }> {
  const sizes = await Promise.all(program.map(async (item) => (await stat(item.audio.path)).size));
  const items: StreamItem[] = [];
  let bytes = 0;
  program.forEach((item, index) => {
    items.push({
      bulletinId: item.bulletinId,
      offsetBytes: bytes,
      offsetMs: Math.round(bytes / MULAW_BYTES_PER_MS),
      durationMs: Math.round(sizes[index] / MULAW_BYTES_PER_MS),
    });
    bytes += sizes[index];
  });
  return { paths: program.map((item) => item.audio.path), bytes, items };
}

function realTimePace(deviceTimeScale: number): BodyPace {
  return {
    bytesPerSecond: (MULAW_BYTES_PER_MS * 1000) / deviceTimeScale,
    leadBytes: STREAM_LEAD_MS * MULAW_BYTES_PER_MS,
    chunkBytes: STREAM_CHUNK_MS * MULAW_BYTES_PER_MS,
  };
}
