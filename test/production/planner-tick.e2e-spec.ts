import { SchedulerRegistry } from '@nestjs/schedule';
import { Client } from 'pg';
import { PLANNER_LOCK, PLANNER_TICK } from '../../src/playbacks/playback-planner';
import { startTestApp, TestApp } from '../support/test-app';
import { FaultStage, until } from '../playbacks/faults-kit';

/** A 4 s bulletin is 2 s on air on the modelled speaker. */
const TIME_SCALE = 0.5;
/** How long a schedule change waits for the planner lock before leaving its commune to the tick (ScheduleReplanner). */
const REPLAN_LOCK_WAIT_MS = 15_000;
/** The slot lies this long after the tick that plans it: the dispatch lead (10 s) and room for the tick itself. */
const SLOT_AFTER_TICK_MS = 15_000;

/**
 * The production path of planning: `PLANNER=true`, and the slot planned by the whole-minute tick, which plans every
 * commune at once (no commune filter), not by a test's `planOnce({ communeIds })` nor by the schedule change's own
 * re-plan. To leave the slot to the tick, the test holds the planner's lock while the schedule is created, as
 * another API instance planning at that moment would: the change's re-plan gives up and the next tick does it.
 *
 * The tick plans the other test files' schedules in the shared database too; only this test's records are checked.
 */
describe('Production path: the planner minute tick plans and airs a slot', () => {
  let loa: TestApp;
  let stage: FaultStage;
  let otherInstance: Client;

  beforeAll(async () => {
    loa = await startTestApp({ PLANNER: 'true', SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
    otherInstance = new Client({ connectionString: loa.config.database.url });
    await otherInstance.connect();
  });

  afterAll(async () => {
    await otherInstance?.end();
    await stage?.close();
    await loa?.close();
  });

  it('plans the slot at the whole minute and airs it on its instant', async () => {
    // The run at start ends by arming the next whole minute's tick.
    const registry = loa.app.get(SchedulerRegistry);
    await until(async () => (registry.getTimeouts().includes(PLANNER_TICK) ? true : null), 30_000, 'the planner tick to be armed');
    const bulletinId = await stage.approvedBulletin(4);
    const speaker = await stage.axisSpeaker();

    // The first whole minute after the schedule change has given up on the lock, and the slot just after it.
    const tickAt = Math.ceil((Date.now() + REPLAN_LOCK_WAIT_MS + 2_000) / 60_000) * 60_000;
    const instant = new Date(tickAt + SLOT_AFTER_TICK_MS);
    await otherInstance.query('SELECT pg_advisory_lock($1, $2)', [...PLANNER_LOCK]);
    let scheduleId: string;
    try {
      scheduleId = await stage.schedule([bulletinId], [speaker.id], instant, { misfireGraceSeconds: 60 });
      const planned = (await loa.dataSource.query('SELECT count(*)::int AS n FROM playbacks WHERE schedule_id = $1', [scheduleId])) as [{ n: number }];
      expect(planned[0].n).toBe(0);
    } finally {
      await otherInstance.query('SELECT pg_advisory_unlock($1, $2)', [...PLANNER_LOCK]);
    }
    expect(Date.now()).toBeLessThan(tickAt);

    const [row] = await stage.settled([scheduleId], tickAt - Date.now() + SLOT_AFTER_TICK_MS + 45_000);
    expect(row).toMatchObject({ speakerId: speaker.id, status: 'played', failureCode: null, attempts: 1 });
    const [{ createdAt }] = (await loa.dataSource.query('SELECT created_at AS "createdAt" FROM playbacks WHERE id = $1', [row.id])) as [{ createdAt: Date }];
    // Made by the tick on the whole minute (not before it), and aired on its instant: generous bounds for a loaded machine.
    expect(createdAt.getTime()).toBeGreaterThanOrEqual(tickAt - 1_000);
    expect(createdAt.getTime()).toBeLessThan(instant.getTime());
    expect(row.latenessMs).toBeGreaterThanOrEqual(0);
    expect(row.latenessMs).toBeLessThan(2_000);
    await stage.expectSound([scheduleId], [speaker]);
  }, 180_000);
});
