import { HealthResult, ItemEvidence, PlaybackRequest, SpeakerDriver } from './speaker-driver';

export const MANUAL_HEALTH_DETAIL = 'no network: confirmed by the village operator';

/**
 * Wired or FM clusters with no network: nothing is sent. The playback is shown to the village operator, whose
 * confirmation is the only proof that it was heard.
 */
export class ManualDriver implements SpeakerDriver {
  readonly name = 'manual';
  readonly audioFormat = null;
  readonly settingsClass = null;
  readonly secretsClass = null;

  async play(_target: unknown, request: PlaybackRequest): Promise<ItemEvidence[]> {
    request.signal.throwIfAborted();
    const commandedAt = new Date();
    return request.program.map(({ bulletinId }) => ({
      bulletinId,
      evidence: { level: 'commanded', commandedAt, device: {}, note: "Awaiting the village operator's confirmation that the bulletin was played" },
    }));
  }

  /** Nothing was sent, so there is nothing to stop: the operator is told through the playback's state. */
  async stop(): Promise<boolean> {
    return false;
  }

  async checkHealth(): Promise<HealthResult> {
    return { ok: true, latencyMs: 0, detail: MANUAL_HEALTH_DETAIL };
  }
}
