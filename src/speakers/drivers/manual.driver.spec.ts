import { isPlaybackAborted } from './driver-error';
import { MANUAL_HEALTH_DETAIL, ManualDriver } from './manual.driver';
import { PlaybackRequest } from './speaker-driver';

function request(signal = new AbortController().signal): PlaybackRequest {
  const item = (bulletinId: string) => ({ bulletinId, audio: { path: '/nowhere', sha256: 'a'.repeat(64), durationMs: 1000 } });
  return { playbackId: 'pb-1', priority: 'normal', program: [item('chime'), item('b-1')], signal };
}

describe('ManualDriver', () => {
  const driver = new ManualDriver();

  it('sends nothing and says, for each item of the program, that the operator must confirm', async () => {
    const before = Date.now();
    const items = await driver.play({ settings: {}, secrets: {} }, request());
    expect(items.map((item) => item.bulletinId)).toEqual(['chime', 'b-1']);
    const [, { evidence }] = items;
    expect(evidence.level).toBe('commanded');
    expect(evidence.commandedAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(evidence.note).toMatch(/village operator's confirmation/);
    expect(evidence.acknowledgedAt).toBeUndefined();
    expect(evidence.device).toEqual({});
  });

  it('does not command an aborted playback', async () => {
    const aborted = new AbortController();
    aborted.abort();
    const failure = await driver.play({ settings: {}, secrets: {} }, request(aborted.signal)).catch((error) => error);
    expect(isPlaybackAborted(failure)).toBe(true);
  });

  it('is always healthy, because there is no network to check', async () => {
    expect(await driver.checkHealth()).toEqual({ ok: true, latencyMs: 0, detail: MANUAL_HEALTH_DETAIL });
    expect(MANUAL_HEALTH_DETAIL).toBe('no network: confirmed by the village operator');
  });

  it('has nothing to stop and no audio format', async () => {
    expect(await driver.stop()).toBe(false);
    expect(driver.audioFormat).toBeNull();
  });
});
