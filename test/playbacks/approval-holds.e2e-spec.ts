import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { villageJobId } from '../../src/playbacks/planning';
import { QueueName } from '../../src/queue/queue.constants';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';
import { Body, FaultStage, StageSpeaker, until } from './faults-kit';

/** Real time: the speakers are the VAPIX model of test/devices, which shares no code with Loa. */
const TIME_SCALE = 1;
const DAILY = 'FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0';

/**
 * Issue "Only approved audio airs", point 2: approval holds until the speaker. Leadership rejects (or the culture
 * office archives) a bulletin that is scheduled: whatever of it waits is withdrawn with its dispatch job, its schedules
 * are held saying why, and the dispatcher, which reads the approval again at staging and just before the instant,
 * never sends the audio. What the speaker heard is asked of the device model itself.
 */
describe('Approval holds until the speaker', () => {
  let loa: TestApp;
  let stage: FaultStage;
  let queue: Queue;

  beforeAll(async () => {
    loa = await startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
    queue = loa.app.get<Queue>(getQueueToken(QueueName.Playback));
  }, 120_000);

  afterAll(async () => {
    await stage?.close();
    await loa?.close();
  });

  /** The next whole second at least `ms` from now: a one-off's instant. */
  const inAbout = (ms: number): Date => new Date(Math.ceil((Date.now() + ms) / 1000) * 1000);

  const reject = (bulletinId: string, reason: string) => call<Body>(loa.people.approver, 'POST', `/api/bulletins/${bulletinId}/reject`, { reason });
  const schedule = async (id: string) => (await call<Body>(loa.people.editor, 'GET', `/api/schedules/${id}`)).body;

  async function renditionOf(bulletinId: string): Promise<string> {
    const [{ sha }] = (await loa.dataSource.query('SELECT rendition_sha256 AS sha FROM bulletins WHERE id = $1', [bulletinId])) as Array<{ sha: string }>;
    return sha;
  }

  /** Airtime entries that carry this audio's SHA-256 (a `commanded` entry names the program's first audio). */
  async function airtimeWithAudio(sha256: string): Promise<unknown[]> {
    return (await loa.dataSource.query('SELECT event FROM airtime_records WHERE audio_sha256 = $1', [sha256])) as unknown[];
  }

  /** The schedule's one-off slot job in BullMQ, for the speaker's village. */
  async function slotJob(scheduleId: string, instant: Date, speaker: StageSpeaker) {
    const [{ village_id: villageId }] = (await loa.dataSource.query('SELECT village_id FROM speakers WHERE id = $1', [speaker.id])) as Array<{ village_id: string }>;
    return queue.getJob(villageJobId({ scheduleId, scheduledAt: instant, villageId }));
  }

  /** Waits until the instant has passed by `afterMs`, so a speaker that was going to be called has been. */
  async function pastInstant(instant: Date, afterMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, instant.getTime() + afterMs - Date.now())));
  }

  it('withdraws a one-off rejected long before its slot, with its job, and the speaker never hears it', async () => {
    const bulletinId = await stage.approvedBulletin(2, 'Bản tin sẽ bị từ chối');
    const speaker = await stage.axisSpeaker();
    const instant = inAbout(25_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], instant);
    // Planned by the time the schedule was saved: a playback waits and its village job is queued.
    expect((await stage.playbacks([scheduleId])).map((row) => row.status)).toEqual(['queued']);
    expect(await slotJob(scheduleId, instant, speaker)).toBeDefined();

    const answer = await reject(bulletinId, 'Số liệu trong bản tin chưa được kiểm chứng');
    expect(answer.status).toBe(200);
    // When the rejection answers, nothing of the schedule waits any more, nor its job.
    expect(await stage.playbacks([scheduleId])).toEqual([]);
    expect(await slotJob(scheduleId, instant, speaker)).toBeUndefined();
    expect(await schedule(scheduleId)).toMatchObject({ status: 'paused', hold: { code: 'bulletin_rejected', bulletin: { id: bulletinId, status: 'rejected' } } });

    // A planner tick after the rejection does not bring it back.
    await stage.plan();
    expect(await stage.playbacks([scheduleId])).toEqual([]);
    await pastInstant(instant, 3_000);
    expect(speaker.device.requests.filter((request) => request.target.startsWith('/axis-cgi/audio/transmit.cgi'))).toEqual([]);
    expect(speaker.device.transmissions).toEqual([]);
    expect(await airtimeWithAudio(await renditionOf(bulletinId))).toEqual([]);
  }, 120_000);

  it('refuses at the instant a one-off staged while approved and rejected before its instant: failed, bulletin_withdrawn, nothing sent', async () => {
    const bulletinId = await stage.approvedBulletin(2, 'Bản tin bị từ chối sau khi đã chuẩn bị phát');
    const speaker = await stage.axisSpeaker();
    const instant = inAbout(20_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], instant);
    // Staged: its attempt committed while the bulletin was approved, DISPATCH_LEAD_MS before the instant.
    await stage.waitForPlaybacks([scheduleId], (rows) => rows.every((row) => row.status === 'dispatching'), 30_000, 'the slot staged');
    expect(Date.now()).toBeLessThan(instant.getTime() - 2_000);

    expect((await reject(bulletinId, 'Lãnh đạo yêu cầu sửa nội dung')).status).toBe(200);
    // The staged attempt is not a waiting plan: it stays for the dispatcher, which reads the approval again before the instant.
    const [row] = await stage.settled([scheduleId], 30_000);
    expect(row).toMatchObject({ status: 'failed', failureCode: 'bulletin_withdrawn', attempts: 1, startedAt: null });
    expect(row.failureDetail).toContain('Bản tin bị từ chối sau khi đã chuẩn bị phát');
    await pastInstant(instant, 3_000);
    expect(speaker.device.transmissions).toEqual([]);
    // The broadcast log says it failed, and never that it was commanded with the rejected audio.
    const events = await until(
      async () => {
        const rows = (await loa.dataSource.query('SELECT event, evidence FROM airtime_records WHERE playback_id = $1', [row.id])) as Array<{
          event: string;
          evidence: Body;
        }>;
        return rows.length > 0 ? rows : null;
      },
      30_000,
      'the failure in the broadcast log',
    );
    expect(events).toEqual([{ event: 'failed', evidence: expect.objectContaining({ reason: 'bulletin_withdrawn' }) }]);
    expect(await airtimeWithAudio(await renditionOf(bulletinId))).toEqual([]);
    expect(await schedule(scheduleId)).toMatchObject({ status: 'paused', hold: { code: 'bulletin_rejected' } });
  }, 120_000);

  it('refuses a later attempt (the speaker was busy at the instant) once the bulletin is rejected, though the speaker is free by then', async () => {
    const bulletinId = await stage.approvedBulletin(2, 'Bản tin chờ loa rảnh');
    const speaker = await stage.axisSpeaker();
    const instant = inAbout(20_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], instant);
    await stage.waitForPlaybacks([scheduleId], (rows) => rows.every((row) => row.status === 'dispatching'), 30_000, 'the slot staged');
    // Busy (503) for 8 s from just before the instant: the staged call and the retries up to ~7.5 s are refused by the device.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, instant.getTime() - 500 - Date.now())));
    speaker.device.occupy(8_000);
    const busy = () => speaker.device.requests.filter((request) => request.target.startsWith('/axis-cgi/audio/transmit.cgi') && request.status === 503);
    await until(async () => (busy().length > 0 ? true : null), 20_000, 'the device answering 503 at the instant', 20);

    expect((await reject(bulletinId, 'Lãnh đạo rút lại bản tin')).status).toBe(200);
    const [row] = await stage.settled([scheduleId], 60_000);
    expect(row).toMatchObject({ status: 'failed', failureCode: 'bulletin_withdrawn' });
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    // Past the busy time and the next retry: the device, free again, was never sent the audio.
    await pastInstant(instant, 20_000);
    expect(speaker.device.transmissions).toEqual([]);
    // The attempts made while it was approved were commanded (and refused by the busy device); the log ends with the refusal.
    const failed = await until(
      async () => {
        const rows = (await loa.dataSource.query(`SELECT evidence FROM airtime_records WHERE playback_id = $1 AND event = 'failed'`, [row.id])) as Array<{
          evidence: Body;
        }>;
        return rows.length > 0 ? rows : null;
      },
      30_000,
      'the refusal in the broadcast log',
    );
    expect(failed).toEqual([{ evidence: expect.objectContaining({ reason: 'bulletin_withdrawn' }) }]);
  }, 150_000);

  it('refuses at staging a slot whose bulletin was withdrawn without its schedule being held (the process that took it died)', async () => {
    const bulletinId = await stage.approvedBulletin(2, 'Bản tin bị từ chối trực tiếp trong cơ sở dữ liệu');
    const speaker = await stage.axisSpeaker();
    const instant = inAbout(20_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], instant);
    // What a rejection leaves when nothing followed it: the bulletin rejected, the schedule and its job as they were.
    await loa.dataSource.query(`UPDATE bulletins SET status = 'rejected', status_reason = 'thử', approved_at = NULL WHERE id = $1`, [bulletinId]);

    const [row] = await stage.settled([scheduleId], 40_000);
    expect(row).toMatchObject({ status: 'failed', failureCode: 'bulletin_withdrawn', attempts: 0, startedAt: null });
    await pastInstant(instant, 3_000);
    expect(speaker.device.transmissions).toEqual([]);
    expect(await airtimeWithAudio(await renditionOf(bulletinId))).toEqual([]);
    // The next planning run holds the schedule, saying why.
    await stage.plan();
    expect(await schedule(scheduleId)).toMatchObject({ status: 'paused', hold: { code: 'bulletin_rejected' } });
  }, 120_000);

  it('withdraws an archived bulletin’s one-off the same way', async () => {
    const bulletinId = await stage.approvedBulletin(2, 'Bản tin được lưu trữ');
    const speaker = await stage.axisSpeaker();
    const instant = inAbout(25_000);
    const scheduleId = await stage.schedule([bulletinId], [speaker.id], instant);
    expect((await stage.playbacks([scheduleId])).map((row) => row.status)).toEqual(['queued']);

    expect((await call(loa.people.editor, 'POST', `/api/bulletins/${bulletinId}/archive`)).status).toBe(200);
    expect(await stage.playbacks([scheduleId])).toEqual([]);
    expect(await slotJob(scheduleId, instant, speaker)).toBeUndefined();
    expect(await schedule(scheduleId)).toMatchObject({ status: 'paused', hold: { code: 'bulletin_archived', bulletin: { id: bulletinId, status: 'archived' } } });
    await pastInstant(instant, 3_000);
    expect(speaker.device.transmissions).toEqual([]);
    expect(await airtimeWithAudio(await renditionOf(bulletinId))).toEqual([]);
  }, 120_000);

  it('holds a daily schedule saying why, refuses to resume it while the bulletin is rejected, and resumes it once approved again', async () => {
    const bulletinId = await stage.approvedBulletin(2, 'Bản tin hằng ngày');
    const speaker = await stage.axisSpeaker();
    const created = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
      title: 'Bản tin sáng chiều',
      bulletinIds: [bulletinId],
      targets: { speakerIds: [speaker.id] },
      rrule: DAILY,
    });
    expect(created.status).toBe(201);
    const scheduleId = created.body.id as string;
    const planned = await stage.playbacks([scheduleId]);
    expect(planned.length).toBeGreaterThan(0);

    const reason = 'Nội dung chưa đúng chỉ đạo của UBND xã';
    expect((await reject(bulletinId, reason)).status).toBe(200);
    const held = await schedule(scheduleId);
    expect(held).toMatchObject({
      status: 'paused',
      hold: { code: 'bulletin_rejected', bulletin: { id: bulletinId, title: 'Bản tin hằng ngày', status: 'rejected', statusReason: reason } },
    });
    expect(Date.parse(held.hold.since as string)).not.toBeNaN();
    expect(await stage.playbacks([scheduleId])).toEqual([]);
    const [audit] = (await loa.dataSource.query(`SELECT details FROM audit_log WHERE action = 'schedule.hold' AND resource_id = $1`, [scheduleId])) as Array<{
      details: Body;
    }>;
    expect(audit.details).toMatchObject({ code: 'bulletin_rejected', bulletinId });

    // Resuming while the bulletin is rejected is refused, naming it; nothing is planned.
    const refused = await call<Body>(loa.people.editor, 'POST', `/api/schedules/${scheduleId}/resume`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('"Bản tin hằng ngày" (rejected)');
    expect(await stage.playbacks([scheduleId])).toEqual([]);

    // Approved again: the schedule stays held until an editor resumes it (the hold now shows the bulletin approved).
    expect((await call(loa.people.approver, 'POST', `/api/bulletins/${bulletinId}/approve`)).status).toBe(200);
    await stage.plan();
    expect(await schedule(scheduleId)).toMatchObject({ status: 'paused', hold: { code: 'bulletin_rejected', bulletin: { status: 'approved' } } });
    expect(await stage.playbacks([scheduleId])).toEqual([]);

    const resumed = await call<Body>(loa.people.editor, 'POST', `/api/schedules/${scheduleId}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ status: 'active', hold: null });
    expect((await stage.playbacks([scheduleId])).map((row) => row.scheduledAt.getTime())).toEqual(planned.map((row) => row.scheduledAt.getTime()));
  }, 120_000);
});
