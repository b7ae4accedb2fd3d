import { PlaybackPlanner, PlanReport } from '../../src/playbacks/playback-planner';
import { startTestApp, TestApp } from '../support/test-app';
import { FaultStage, until } from '../playbacks/faults-kit';

/** A 4 s bulletin lasts 1 s on the modelled speaker. */
const TIME_SCALE = 0.25;
const HOUR_MS = 3_600_000;

/**
 * The minute's tick after the first is incremental: it reconciles only the communes whose schedules or speakers
 * changed, and plans every other schedule over the minutes its horizon moved on. The planner's timer is off here (the
 * production test shows it on); the test calls `tickOnce`, the run the timer makes, which plans every commune. A
 * schedule is made "unchanged" by dating its last change (and its speakers') before the tick's look-back.
 */
describe('Incremental planning: the minute tick follows what changed and the horizon', () => {
  let loa: TestApp;
  let stage: FaultStage;
  let planner: PlaybackPlanner;
  let bulletinId: string;

  beforeAll(async () => {
    loa = await startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE), PLANNER_HORIZON_HOURS: '1' });
    stage = await FaultStage.on(loa, TIME_SCALE);
    planner = loa.app.get(PlaybackPlanner);
    bulletinId = await stage.approvedBulletin(4);
  });

  afterAll(async () => {
    await stage?.close();
    await loa?.close();
  });

  /** Dates the schedule's last change, and its speakers' configuration, two hours back: nothing to follow. */
  async function settle(scheduleId: string, speakerIds: string[]): Promise<void> {
    await loa.dataSource.query(`UPDATE schedules SET updated_at = now() - interval '2 hours' WHERE id = $1`, [scheduleId]);
    await loa.dataSource.query(`UPDATE speakers SET configured_at = now() - interval '2 hours' WHERE id = ANY($1)`, [speakerIds]);
  }

  const tick = async (): Promise<PlanReport & { planned: true }> => {
    const report = await planner.tickOnce();
    if (!report.planned) throw new Error(`the tick did not plan: ${report.reason}`);
    return report;
  };

  it('plans an unchanged schedule once its horizon reaches it, and leaves its waiting playbacks unread', async () => {
    const speaker = await stage.axisSpeaker();
    // One slot within the horizon now, one just beyond it: 1 h and 25 s ahead.
    const near = new Date(Math.ceil((Date.now() + 30 * 60_000) / 1000) * 1000);
    const far = new Date(Math.ceil((Date.now() + HOUR_MS + 25_000) / 1000) * 1000);
    const nearId = await stage.schedule([bulletinId], [speaker.id], near);
    const farId = await stage.schedule([bulletinId], [speaker.id], far);
    await settle(nearId, [speaker.id]);
    await settle(farId, [speaker.id]);

    expect((await tick()).mode).toBe('full');
    expect(await stage.playbacks([farId])).toEqual([]);
    expect(await stage.playbacks([nearId])).toHaveLength(1);
    // Taken out behind the planner's back: a full reconciliation puts it back, an incremental tick never reads it.
    await loa.dataSource.query('DELETE FROM playbacks WHERE schedule_id = $1', [nearId]);

    await until(async () => (Date.now() + HOUR_MS > far.getTime() + 1_000 ? true : null), 60_000, 'the horizon to pass the far slot');
    const report = await tick();
    expect(report.mode).toBe('incremental');
    const [planned] = await stage.playbacks([farId]);
    expect(planned).toMatchObject({ speakerId: speaker.id, status: 'queued' });
    expect(planned.scheduledAt.toISOString()).toBe(far.toISOString());
    expect(await stage.playbacks([nearId])).toEqual([]);

    expect((await planner.planOnce()).planned).toBe(true);
    expect(await stage.playbacks([nearId])).toHaveLength(1);
  }, 120_000);

  it('plans a speaker registered in a targeted village at the next tick, though no schedule changed', async () => {
    const first = await stage.axisSpeaker(loa.places.neighbourVillage.id);
    const startsAt = new Date(Math.ceil((Date.now() + 20 * 60_000) / 1000) * 1000);
    const scheduleId = await stage.schedule([bulletinId], [], startsAt, { targets: { villageIds: [loa.places.neighbourVillage.id] } });
    await settle(scheduleId, [first.id]);
    await tick();
    expect((await stage.playbacks([scheduleId])).map((row) => row.speakerId)).toEqual([first.id]);

    const newcomer = await stage.axisSpeaker(loa.places.neighbourVillage.id);
    const report = await tick();
    expect(report.mode).toBe('incremental');
    expect((await stage.playbacks([scheduleId])).map((row) => row.speakerId).sort()).toEqual([first.id, newcomer.id].sort());
  });

  it('withdraws the slots of a schedule paused while its own re-plan could not run', async () => {
    const speaker = await stage.axisSpeaker();
    const startsAt = new Date(Math.ceil((Date.now() + 40 * 60_000) / 1000) * 1000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], startsAt);
    await tick();
    expect(await stage.playbacks([scheduleId])).toHaveLength(1);
    // Paused by another instance that died before re-planning: only the row changed.
    await loa.dataSource.query(`UPDATE schedules SET status = 'paused', updated_at = now() WHERE id = $1`, [scheduleId]);
    const report = await tick();
    expect(report.mode).toBe('incremental');
    expect(await stage.playbacks([scheduleId])).toEqual([]);
  });
});
