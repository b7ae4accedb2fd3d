import { startTestApp, TestApp } from '../support/test-app';
import { WorkerProcess } from '../support/worker-process';
import { FaultStage, PlaybackRow, until } from './faults-kit';

/** A 24 s bulletin is 12 s on air on the modelled speakers: long enough to kill its worker halfway. */
const TIME_SCALE = 0.5;
/** The dead holder's lease outlives the program by this much (docs/dispatch.md, "Faults"): no retry comes sooner. */
const LEASE_SLACK_MS = 60_000;

/**
 * Fault: `kill -9` of the worker process while it is playing. Nothing of it runs any more (no shutdown hook, no
 * graceful close): its job stalls in Redis, its leases stay until they expire, its playbacks stay mid-dispatch in
 * PostgreSQL. docs/dispatch.md promises: BullMQ hands the job to another worker, and the playback is retried within
 * its grace once the dead holder's lease expires; when the grace runs out first, it is `missed` / `worker_lost`.
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

  /** Two speakers on air from a worker that is then killed; answers the schedule, its speakers, and the successor. */
  async function killMidPlayback(misfireGraceSeconds: number) {
    const doomed = stage.startWorker();
    const bulletinId = await stage.approvedBulletin(24);
    const speakers = [await stage.axisSpeaker(), await stage.axisSpeaker()];
    const instant = new Date(Date.now() + 8_000);
    const scheduleId = await stage.schedule(
      [bulletinId],
      speakers.map((speaker) => speaker.id),
      instant,
      { misfireGraceSeconds },
    );

    // Both speakers are on air: the devices are receiving audio from the doomed worker.
    await until(async () => (speakers.every(({ device }) => device.onAir) ? true : null), 60_000, 'both speakers on air');
    expect(await doomed.stop('SIGKILL')).toBe('SIGKILL');
    const killedAt = Date.now();
    await until(async () => (speakers.every(({ device }) => !device.onAir) ? true : null), 30_000, 'the devices to notice');
    // The sender hung up mid-stream: each device was cut, and nothing was answered as played.
    for (const { device } of speakers) expect(device.transmissions.map((transmission) => transmission.outcome)).toEqual(['cut']);
    return { scheduleId, speakers, instant, killedAt, successor: stage.startWorker() };
  }

  async function settled(scheduleId: string, successor: WorkerProcess): Promise<PlaybackRow[]> {
    return stage.settled([scheduleId], 240_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- successor log ---\n${successor.log.slice(-4000)}`);
    });
  }

  it('retries each playback once the dead holder lease expires, and it ends played within its grace', async () => {
    const grace = 600;
    const { scheduleId, speakers, instant, killedAt, successor } = await killMidPlayback(grace);
    const rows = await settled(scheduleId, successor);

    expect(rows).toHaveLength(2);
    for (const row of rows) {
      // The first attempt died with its worker; the second, by the successor, played.
      expect(row).toMatchObject({ status: 'played', failureCode: null, attempts: 2 });
      const startedAt = row.startedAt!.getTime();
      expect(startedAt).toBeGreaterThan(killedAt);
      expect(startedAt).toBeGreaterThanOrEqual(instant.getTime() + LEASE_SLACK_MS);
      expect(startedAt).toBeLessThanOrEqual(instant.getTime() + grace * 1000);
      expect(Math.abs(row.latenessMs! - (startedAt - instant.getTime()))).toBeLessThanOrEqual(1);
    }
    // Each device completed exactly one transmission (the retry); the killed one was cut, never counted.
    await stage.expectSound([scheduleId], speakers);
    for (const { device } of speakers) expect(device.transmissions.map((transmission) => transmission.outcome)).toEqual(['cut', 'played']);
    await successor.stop('SIGTERM');
  }, 360_000);

  it('records each playback missed / worker_lost when its grace runs out before the job comes back', async () => {
    // The job comes back only once its lock (30 s, renewed every 15 s) has expired: well after a 15 s grace.
    const { scheduleId, speakers, successor } = await killMidPlayback(15);
    const rows = await settled(scheduleId, successor);

    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'missed', attempts: 1 });
      expect(row).toMatchObject({ failureCode: 'worker_lost', failureDetail: expect.any(String) });
    }
    await stage.expectSound([scheduleId], speakers);
    for (const { device } of speakers) expect(device.transmissions.map((transmission) => transmission.outcome)).toEqual(['cut']);
    await successor.stop('SIGTERM');
  }, 360_000);
});
