import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { QueueName } from '../../src/queue/queue.constants';
import { startTestApp, TestApp } from '../support/test-app';
import { WorkerProcess } from '../support/worker-process';
import { FaultStage, until, VAPIX_SPEAKER } from './faults-kit';

/** A 4 s bulletin is 1 s on air on the speakers, modelled from VAPIX (test/devices). */
const TIME_SCALE = 0.25;

/**
 * Fault: the service is down across a slot. Here the worker processes are down (no dispatch at all) while the test
 * stands in for the API's planner timer, which runs a tick as soon as the API starts: the test calls that tick when
 * the service "comes back", before starting a worker again.
 */
describe('Fault: the service down across a slot', () => {
  let loa: TestApp;
  let stage: FaultStage;
  let queue: Queue;
  let bulletinId: string;

  beforeAll(async () => {
    loa = await startTestApp({ ROLE: 'api', SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
    queue = loa.app.get<Queue>(getQueueToken(QueueName.Playback));
    // A worker renders the upload, then the service goes down.
    const renderer = stage.startWorker();
    bulletinId = await stage.approvedBulletin(4);
    await renderer.stop('SIGTERM');
  });

  afterAll(async () => {
    await stage?.close();
    await loa?.close();
  });

  const passed = (at: Date) => until(async () => (Date.now() > at.getTime() ? true : null), 60_000, `${at.toISOString()} to pass`);

  /** Until the queue holds no job of the schedule that is still to run (a worker process starting from source can take a minute on two busy cores). */
  const drained = (scheduleId: string, worker: WorkerProcess) =>
    until(
      async () => {
        const jobs = await queue.getJobs(['delayed', 'waiting', 'prioritized', 'active']);
        return jobs.some((job) => job && JSON.stringify(job.data).includes(scheduleId)) ? null : true;
      },
      150_000,
      `the jobs of ${scheduleId} to be done`,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- worker log ---\n${worker.log.slice(-4000)}`);
    });

  it('inside the grace: back up, it plays once, late, with both the scheduled and the actual instant recorded', async () => {
    const speaker = await stage.axisSpeaker(undefined, VAPIX_SPEAKER);
    const at = new Date(Date.now() + 6_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], at, { misfireGraceSeconds: 300 });
    await passed(new Date(at.getTime() + 3_000));
    expect(speaker.device.transmissions).toEqual([]);

    // Back up: the API's first tick, then a worker.
    expect(await stage.plan()).toMatchObject({ planned: true });
    const worker: WorkerProcess = stage.startWorker();
    const [played] = await stage.settled([scheduleId], 90_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- worker log ---\n${worker.log.slice(-4000)}`);
    });
    expect(played).toMatchObject({ status: 'played', attempts: 1 });
    expect(played.scheduledAt.toISOString()).toBe(at.toISOString());
    expect(played.startedAt!.getTime()).toBeGreaterThan(at.getTime());
    expect(played.latenessMs).toBeGreaterThan(0);
    expect(speaker.device.transmissions.map((transmission) => transmission.outcome)).toEqual(['played']);
    await stage.expectSound([scheduleId], [speaker]);
    await worker.stop('SIGTERM');
  }, 180_000);

  it('beyond the grace: missed with reason service_down, and never played when the workers come back', async () => {
    const speaker = await stage.axisSpeaker(undefined, VAPIX_SPEAKER);
    const at = new Date(Date.now() + 6_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], at, { misfireGraceSeconds: 2 });
    await passed(new Date(at.getTime() + 2_000));

    // The API's ticks find the slot still waiting well past its grace.
    const [missed] = await until(
      async () => {
        await stage.plan();
        const rows = await stage.playbacks([scheduleId]);
        return rows.every((row) => row.status !== 'planned' && row.status !== 'queued') ? rows : null;
      },
      120_000,
      'a tick to end the stale playback',
      2_000,
    );
    expect(missed).toMatchObject({ status: 'missed', failureCode: 'service_down', attempts: 0, latenessMs: null });

    const worker = stage.startWorker();
    await drained(scheduleId, worker);
    expect(speaker.device.transmissions).toEqual([]);
    expect((await stage.playbacks([scheduleId]))[0]).toMatchObject({ status: 'missed', failureCode: 'service_down', attempts: 0 });
    await stage.expectSound([scheduleId], [speaker]);
    await worker.stop('SIGTERM');
  }, 360_000);
});
