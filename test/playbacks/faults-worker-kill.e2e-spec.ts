import { startTestApp, TestApp } from '../support/test-app';
import { FaultStage, until } from './faults-kit';

/** A 24 s bulletin is 12 s on air on the emulated speakers: long enough to kill its worker halfway. */
const TIME_SCALE = 0.5;

/**
 * Fault: `kill -9` of the worker process while it is playing. Nothing of it runs any more (no shutdown hook, no
 * graceful close): its job stalls in Redis, its leases stay until they expire, its playbacks stay mid-dispatch in
 * PostgreSQL. Another worker must bring every playback to a terminal state and never play one twice.
 */
describe('Fault: a worker killed with SIGKILL mid-playback', () => {
  let loa: TestApp;
  let stage: FaultStage;

  beforeAll(async () => {
    // The API alone in this process: dispatch happens only in the worker processes this test starts and kills.
    loa = await startTestApp({ ROLE: 'api', SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
  });

  afterAll(async () => {
    await stage?.close();
    await loa?.close();
  });

  it('leaves every playback terminal, none played twice, after another worker takes over', async () => {
    const doomed = stage.startWorker();
    const bulletinId = await stage.approvedBulletin(24);
    const speakers = [await stage.axisSpeaker(), await stage.axisSpeaker()];
    const scheduleId = await stage.schedule([bulletinId], speakers.map((speaker) => speaker.id), new Date(Date.now() + 8_000), { misfireGraceSeconds: 600 });

    // Both speakers are on air: the devices are receiving audio from the doomed worker.
    await until(async () => (speakers.every(({ device }) => device.playbacks.some((playback) => playback.outcome === 'playing')) ? true : null), 60_000, 'both speakers on air');
    expect(await doomed.stop('SIGKILL')).toBe('SIGKILL');
    await until(async () => (speakers.every(({ device }) => device.playbacks.every((playback) => playback.outcome !== 'playing')) ? true : null), 30_000, 'the devices to notice');
    for (const { device } of speakers) expect(device.playbacks.map((playback) => playback.outcome)).not.toContain('played');

    const successor = stage.startWorker();
    const settled = await stage.settled([scheduleId], 240_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- successor log ---\n${successor.log.slice(-4000)}`);
    });
    expect(settled).toHaveLength(2);
    await stage.expectSound([scheduleId], speakers);
  }, 300_000);
});
