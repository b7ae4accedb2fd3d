import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { deviceUrl } from '../base-url';
import { excerpt, printable, summarizeDevice } from '../device-summary';
import { DriverError, playbackStopped } from '../driver-error';
import { exchange, ExchangeRequest, ExchangeResponse } from '../http-exchange';
import {
  DEFAULT_DRIVER_LIMITS,
  DriverLimits,
  DriverTarget,
  HealthResult,
  PlaybackEvidence,
  PlaybackRequest,
  SpeakerDriver,
} from '../speaker-driver';
import { audioCapability, parseParameterList } from './axis-parameters';
import { AxisVapixSecrets, AxisVapixSettings } from './axis-vapix.config';
import { DigestClient } from './digest-client';

export const TRANSMIT_PATH = '/axis-cgi/audio/transmit.cgi';
export const AUDIO_PROPERTIES_PATH = '/axis-cgi/param.cgi?action=list&group=Properties.Audio';

export interface AxisVapixOptions extends DriverLimits {
  /**
   * How fast the device plays audio relative to real time: 1 for real speakers, the emulator's time scale in
   * tests. A transmit answer is awaited, and believed, only after the audio's duration times this.
   */
  deviceTimeScale: number;
}

export const DEFAULT_AXIS_OPTIONS: Readonly<AxisVapixOptions> = { ...DEFAULT_DRIVER_LIMITS, deviceTimeScale: 1 };

/** An answer this much earlier than the audio's end cannot mean the audio was played. */
const EARLIEST_BELIEVED_ANSWER = 0.9;

type AxisTarget = DriverTarget<AxisVapixSettings, AxisVapixSecrets>;

/**
 * Axis network speakers (VAPIX): the audio is posted to transmit.cgi as G.711 µ-law, and the device answers
 * only once it has played it, so a 200 at the right time is the device's own report of the playback.
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

  async play(target: AxisTarget, request: PlaybackRequest): Promise<PlaybackEvidence> {
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
        send: (authorization) => exchange({
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

  private async transmit(target: AxisTarget, request: PlaybackRequest, signal: AbortSignal): Promise<PlaybackEvidence> {
    const url = deviceUrl(target.settings.url, TRANSMIT_PATH);
    const bytes = (await stat(request.audio.path)).size;
    const playMs = request.audio.durationMs * this.options.deviceTimeScale;
    // Set from the exchange's callback, which TypeScript's narrowing cannot see.
    let commandedAt = null as Date | null;
    const commanded = (device: Record<string, unknown>): PlaybackEvidence => ({
      level: 'commanded',
      commandedAt: commandedAt!,
      device: summarizeDevice({ audioBytes: bytes, ...device }),
    });

    let response: ExchangeResponse;
    try {
      response = await this.digest.request({
        sessionKey: this.sessionKey(target),
        credentials: target.secrets,
        method: 'POST',
        uri: url.pathname,
        probe: () => exchange({
          ...this.requestBase(url, 'POST', signal),
          headers: { 'Content-Type': 'audio/basic' },
          body: Buffer.alloc(0),
          answerTimeoutMs: this.options.responseTimeoutMs,
        }),
        send: (authorization) => exchange({
          ...this.requestBase(url, 'POST', signal),
          headers: { 'Content-Type': 'audio/basic', ...(authorization ? { Authorization: authorization } : {}) },
          body: { path: request.audio.path, bytes },
          answerTimeoutMs: playMs + this.options.responseTimeoutMs,
          onSent: (at) => (commandedAt = at),
          closedWithoutAnswer: (sent) => new DriverError(
            'rejected',
            `${url.host} closed the connection without confirming the playback (after ${sent} of ${bytes} bytes): the bulletin did not play, or not to the end`,
          ),
        }),
      });
    } catch (error) {
      // The audio went out: a timeout or a dropped connection may still have reached listeners.
      if (error instanceof DriverError && commandedAt && error.kind !== 'auth') throw error.withEvidence(commanded({}));
      throw error;
    }

    // Any 2xx is the device's answer; whether it proves the playback depends on when it came.
    if (response.status < 200 || response.status > 299) throw statusError(url, response);
    const answeredAfterMs = Date.now() - commandedAt!.getTime();
    const evidence = commanded({ status: response.status, server: response.headers.server ?? null, answeredAfterMs, answer: excerpt(response.body) });
    if (answeredAfterMs < playMs * EARLIEST_BELIEVED_ANSWER) {
      throw new DriverError(
        'protocol',
        `${url.host} answered ${response.status} after ${(answeredAfterMs / 1000).toFixed(1)} s for ${(playMs / 1000).toFixed(1)} s of audio: it cannot have played it, so the answer is not believed`,
        evidence,
      );
    }
    return { ...evidence, level: 'device_reported', finishedAt: new Date() };
  }

  private requestBase(url: URL, method: 'GET' | 'POST', signal?: AbortSignal): Omit<ExchangeRequest, 'answerTimeoutMs'> {
    return {
      url,
      method,
      connectTimeoutMs: this.options.connectTimeoutMs,
      maxResponseBytes: this.options.maxResponseBytes,
      signal,
    };
  }

  private sessionKey(target: AxisTarget): string {
    return `${new URL(target.settings.url).origin}|${target.secrets.username}`;
  }
}

/** A non-200 answer of an Axis device, as an error a person can act on. */
function statusError(url: URL, response: ExchangeResponse): DriverError {
  const said = excerpt(response.body);
  const status = `HTTP ${response.status}${said ? `: ${said}` : ''}`;
  if (response.status === 503) return new DriverError('busy', `${url.host} is already playing something (${status})`);
  if (response.status === 403) return new DriverError('auth', `${url.host} refused the account (${status}): it needs operator rights to play audio`);
  if (response.status === 404) {
    return new DriverError('rejected', `${url.host} has no ${url.pathname} (${status}): check that it is an Axis speaker with audio enabled`);
  }
  if (response.status >= 400) return new DriverError('rejected', `${url.host} refused the request (${status})`);
  return new DriverError('protocol', `${url.host} answered ${status} where 200 was expected`);
}
