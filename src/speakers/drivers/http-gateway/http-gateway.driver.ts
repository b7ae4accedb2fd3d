import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { deviceUrl } from '../base-url';
import { deviceText, printable, summarizeDevice } from '../device-summary';
import { DriverError, playbackStopped } from '../driver-error';
import { signedHeaders } from '../gateway-signature';
import { exchange, ExchangeResponse } from '../http-exchange';
import {
  DEFAULT_DRIVER_LIMITS,
  DriverLimits,
  DriverTarget,
  HealthResult,
  ItemEvidence,
  PlaybackPriority,
  PlaybackRequest,
  ProgramItem,
  SpeakerDriver,
} from '../speaker-driver';
import { HttpGatewaySecrets, HttpGatewaySettings } from './http-gateway.config';

/** Paths under the gateway's base URL: the play command is posted to the base URL itself. */
export const GATEWAY_PATHS = { play: '', health: '/health', stop: '/stop' } as const;

/** The play command's body, exactly as signed and posted. */
export interface GatewayPlayCommand {
  playbackId: string;
  audioUrl: string;
  sha256: string;
  durationMs: number;
  priority: PlaybackPriority;
}

type GatewayTarget = DriverTarget<HttpGatewaySettings, HttpGatewaySecrets>;

export interface HttpGatewayOptions extends DriverLimits {
  /** How fast the gateway plays audio relative to real time: 1 for real gateways, the emulator's time scale in tests. */
  deviceTimeScale: number;
}

/** How long a follow-on item waits for a gateway still finishing the item before it (real time). */
const FOLLOW_ON_BUSY_MS = 10_000;
const FOLLOW_ON_RETRY_MS = 200;

interface SignedCall {
  method: 'GET' | 'POST';
  path: string;
  /** JSON text for a POST; a GET signs the empty body. */
  body: string;
  signal?: AbortSignal;
  onSent?: (at: Date) => void;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/**
 * Receivers behind a vendor gateway: Loa posts a signed play command per program item, the gateway fetches the audio
 * from a signed URL and later posts signed `started`/`finished`/`failed` events to Loa. Its 2xx `{accepted: true}`
 * is an acknowledgement; the events carry the device's own report.
 */
export class HttpGatewayDriver implements SpeakerDriver<HttpGatewaySettings, HttpGatewaySecrets> {
  readonly name = 'http-gateway';
  readonly audioFormat = 'mp3';
  readonly settingsClass = HttpGatewaySettings;
  readonly secretsClass = HttpGatewaySecrets;

  private readonly options: HttpGatewayOptions;
  /** Programs being commanded, by playback id: a stop ends the commanding as well as the gateway's playback. */
  private readonly onAir = new Map<string, AbortController>();

  constructor(options: Partial<HttpGatewayOptions> = {}) {
    this.options = { ...DEFAULT_DRIVER_LIMITS, deviceTimeScale: 1, ...options };
  }

  /**
   * One signed command per program item, in order: the gateway's protocol carries one audio URL per command, and a
   * gateway plays one at a time. Each item after the first is commanded when the one before it should have ended;
   * a gateway still finishing it (503) is asked again shortly, within FOLLOW_ON_BUSY_MS. Resolves once the last item
   * was accepted.
   */
  async play(target: GatewayTarget, request: PlaybackRequest): Promise<ItemEvidence[]> {
    if (this.onAir.has(request.playbackId)) {
      throw new DriverError('busy', `Playback ${request.playbackId} is already being commanded to this gateway`);
    }
    const stopper = new AbortController();
    this.onAir.set(request.playbackId, stopper);
    const signal = AbortSignal.any([request.signal, stopper.signal]);
    const accepted: ItemEvidence[] = [];
    try {
      for (const item of request.program) {
        const previous = accepted.at(-1);
        if (previous) {
          const endsAt = previous.evidence.acknowledgedAt!.getTime() + request.program[accepted.length - 1].audio.durationMs * this.options.deviceTimeScale;
          await sleep(endsAt - Date.now(), undefined, { signal });
        }
        accepted.push(await this.commandFollowing(target, request, item, signal, previous !== undefined));
      }
      return accepted;
    } catch (error) {
      // The items accepted before stay commanded: the gateway may have played them.
      if (error instanceof DriverError && accepted.length > 0) throw error.withEvidence([...accepted, ...(error.evidence ?? [])]);
      throw error;
    } finally {
      this.onAir.delete(request.playbackId);
    }
  }

  /** A follow-on item may find the gateway still finishing the one before: a `busy` answer is tried again briefly. */
  private async commandFollowing(
    target: GatewayTarget,
    request: PlaybackRequest,
    item: ProgramItem,
    signal: AbortSignal,
    following: boolean,
  ): Promise<ItemEvidence> {
    // Real time, not scaled: what it covers is the gateway fetching and preparing the audio.
    const deadline = Date.now() + FOLLOW_ON_BUSY_MS;
    for (;;) {
      try {
        return await this.command(target, request, item, signal);
      } catch (error) {
        if (!following || !(error instanceof DriverError && error.kind === 'busy') || Date.now() + FOLLOW_ON_RETRY_MS > deadline) throw error;
        await sleep(FOLLOW_ON_RETRY_MS, undefined, { signal });
      }
    }
  }

  /** Posts one item's play command; its 2xx `{accepted: true}` is the gateway's acknowledgement. */
  private async command(target: GatewayTarget, request: PlaybackRequest, { bulletinId, audio }: ProgramItem, signal: AbortSignal): Promise<ItemEvidence> {
    if (!audio.url) throw new Error('The http-gateway driver needs request.audio.url, a signed URL the gateway can fetch the audio from');
    const command: GatewayPlayCommand = {
      playbackId: request.playbackId,
      audioUrl: audio.url,
      sha256: audio.sha256,
      durationMs: audio.durationMs,
      priority: request.priority,
    };
    // Set from the exchange's callback, which TypeScript's narrowing cannot see.
    let commandedAt = null as Date | null;
    let response: ExchangeResponse;
    try {
      response = await this.call(target, {
        method: 'POST',
        path: GATEWAY_PATHS.play,
        body: JSON.stringify(command),
        signal,
        onSent: (at) => (commandedAt = at),
      });
    } catch (error) {
      // The command went out: the gateway may have taken it even though its answer never came.
      if (error instanceof DriverError && commandedAt) throw error.withEvidence([{ bulletinId, evidence: { level: 'commanded', commandedAt, device: {} } }]);
      throw error;
    }
    const url = deviceUrl(target.settings.url, GATEWAY_PATHS.play);
    const answer = jsonAnswer(url, response);
    const device = summarizeDevice({ status: response.status });
    if (answer.accepted === true) return { bulletinId, evidence: { level: 'acknowledged', commandedAt: commandedAt!, acknowledgedAt: new Date(), device } };
    if (answer.accepted === false) {
      throw new DriverError('rejected', printable(`${url.host} did not accept the playback: ${String(answer.reason ?? 'no reason given')}`));
    }
    throw new DriverError('protocol', `${url.host} answered without "accepted": true or false; the answer is not believed`);
  }

  async stop(target: GatewayTarget, playbackId: string): Promise<boolean> {
    this.onAir.get(playbackId)?.abort(playbackStopped(playbackId));
    const response = await this.call(target, { method: 'POST', path: GATEWAY_PATHS.stop, body: JSON.stringify({ playbackId }) });
    const answer = jsonAnswer(deviceUrl(target.settings.url, GATEWAY_PATHS.stop), response);
    if (typeof answer.stopped !== 'boolean') throw new DriverError('protocol', 'The gateway answered the stop command without "stopped": true or false');
    return answer.stopped;
  }

  async checkHealth(target: GatewayTarget): Promise<HealthResult> {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    try {
      const response = await this.call(target, { method: 'GET', path: GATEWAY_PATHS.health, body: '' });
      const answer = withDeviceText(response, () => jsonAnswer(deviceUrl(target.settings.url, GATEWAY_PATHS.health), response));
      if (typeof answer.ok !== 'boolean') throw new DriverError('protocol', 'The gateway answered its health check without "ok": true or false');
      const detail = printable(typeof answer.detail === 'string' ? answer.detail : answer.ok ? 'gateway ready' : 'the gateway reports a fault');
      return answer.ok ? { ok: true, latencyMs: latencyMs(), detail } : { ok: false, latencyMs: latencyMs(), detail, errorKind: 'rejected' };
    } catch (error) {
      if (!(error instanceof DriverError)) throw error;
      return { ok: false, latencyMs: latencyMs(), detail: error.message, errorKind: error.kind };
    }
  }

  /** One signed request to the gateway. */
  private call(target: GatewayTarget, call: SignedCall): Promise<ExchangeResponse> {
    const body = Buffer.from(call.body);
    return exchange({
      url: deviceUrl(target.settings.url, call.path),
      method: call.method,
      headers: { ...signedHeaders(target.secrets.key, body), ...(call.method === 'POST' ? { 'Content-Type': 'application/json' } : {}) },
      body: call.method === 'POST' ? body : undefined,
      connectTimeoutMs: this.options.connectTimeoutMs,
      allowLoopback: this.options.allowLoopback,
      answerTimeoutMs: this.options.responseTimeoutMs,
      maxResponseBytes: this.options.maxResponseBytes,
      signal: call.signal,
      onSent: call.onSent,
    });
  }
}

/** Runs `read`; a DriverError it throws also quotes what the device answered (for a health check's admin-only detail). */
function withDeviceText<T>(response: ExchangeResponse, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof DriverError) || response.body.length === 0) throw error;
    throw new DriverError(error.kind, `${error.message}: "${deviceText(response.body)}"`);
  }
}

/** The JSON object of a 2xx answer; any other answer becomes the DriverError it means (its status, never its body text). */
function jsonAnswer(url: URL, response: ExchangeResponse): Record<string, unknown> {
  const status = `HTTP ${response.status}`;
  if (response.status === 503) throw new DriverError('busy', `${url.host} is already playing something (${status})`);
  if (response.status === 401 || response.status === 403) {
    throw new DriverError(
      'auth',
      `${url.host} refused Loa's signature (${status}): check that the gateway and Loa share this speaker's key and that both clocks are right`,
    );
  }
  if (response.status >= 400) throw new DriverError('rejected', `${url.host} refused the request (${status})`);
  if (!isSuccess(response.status)) throw new DriverError('protocol', `${url.host} answered ${status} where 2xx was expected`);
  try {
    const answer: unknown = JSON.parse(response.body.toString('utf8'));
    if (typeof answer === 'object' && answer !== null && !Array.isArray(answer)) return answer as Record<string, unknown>;
  } catch {
    // Falls through to the same error as a JSON value that is not an object.
  }
  throw new DriverError('protocol', `${url.host} answered HTTP ${response.status} with something that is not a JSON object (${response.body.length} bytes)`);
}
