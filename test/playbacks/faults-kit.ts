import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlaybackPlanner, PlanReport } from '../../src/playbacks/playback-planner';
import { TERMINAL_PLAYBACK_STATUSES } from '../../src/playbacks/playback-status';
import { call } from '../support/api';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { uploadApproved } from '../support/bulletin-client';
import { TestApp } from '../support/test-app';
import { WorkerProcess } from '../support/worker-process';
import { AxisSpeaker, AxisSpeakerOptions } from '../devices/axis-speaker';

/** An Axis speaker modelled from VAPIX that answers once it has played the audio. */
export const VAPIX_SPEAKER: AxisSpeakerOptions = { mode: { kind: 'answer-at-end' } };

/** A registered speaker and the device behind it: the VAPIX model of test/devices, which shares no code with Loa. */
export interface StageSpeaker {
  id: string;
  device: AxisSpeaker;
}

/**
 * What the fault tests share: real bulletins, Axis speakers modelled from VAPIX, schedules through the public API, and the
 * checks by SQL that every fault must leave true. Nothing here depends on how dispatch works inside.
 */

export const AXIS_PASSWORD = 'Loa-Axis-Mật-khẩu-2026';
export type Body = Record<string, any>;

export interface PlaybackRow {
  id: string;
  speakerId: string;
  villageId: string;
  scheduledAt: Date;
  status: string;
  failureCode: string | null;
  failureDetail: string | null;
  attempts: number;
  latenessMs: number | null;
  startedAt: Date | null;
}

export class FaultStage {
  private readonly devices: AxisSpeaker[] = [];
  private readonly workers: WorkerProcess[] = [];
  private seed = 1000;

  private constructor(
    readonly loa: TestApp,
    readonly fixtures: string,
    readonly timeScale: number,
  ) {}

  static async on(loa: TestApp, timeScale: number): Promise<FaultStage> {
    return new FaultStage(loa, await mkdtemp(join(tmpdir(), 'loa-faults-')), timeScale);
  }

  /** Uploads speech-like audio of `seconds`, waits for its rendition and approves it. */
  async approvedBulletin(seconds: number, title = 'Bản tin thử lỗi'): Promise<string> {
    const editor = this.loa.people.editor;
    const file = await makeAudio(this.fixtures, `tin-${this.seed}.mp3`, { source: speechLike(seconds, this.seed++), output: ['-c:a', 'libmp3lame', '-b:a', '64k'] });
    return uploadApproved(editor, this.loa.people.approver, file, title, 180_000);
  }

  /**
   * A new Axis speaker registered in `villageId` (default: the first village): the speaker modelled from VAPIX
   * (test/devices) in the mode `model` gives (default: it answers once it has played the audio).
   */
  async axisSpeaker(villageId = this.loa.places.village.id, model: AxisSpeakerOptions = VAPIX_SPEAKER): Promise<StageSpeaker> {
    const device = await AxisSpeaker.start({ ...model, password: AXIS_PASSWORD, timeScale: this.timeScale });
    this.devices.push(device);
    const answer = await call<Body>(this.loa.people.admin, 'POST', '/api/speakers', {
      villageId,
      name: `Cụm loa ${randomUUID().slice(0, 6)}`,
      driver: 'axis-vapix',
      settings: { url: device.url },
      secrets: { username: 'root', password: AXIS_PASSWORD },
    });
    if (answer.status !== 201) throw new Error(`could not register a speaker: ${answer.status} ${JSON.stringify(answer.body)}`);
    return { id: answer.body.id as string, device };
  }

  /** A one-off through the API, as the culture office schedules it. */
  async schedule(bulletinIds: string[], speakerIds: string[], startsAt: Date, extra: Body = {}): Promise<string> {
    const answer = await call<Body>(this.loa.people.editor, 'POST', '/api/schedules', {
      title: `Thử lỗi ${randomUUID().slice(0, 6)}`,
      bulletinIds,
      targets: { speakerIds },
      startsAt: startsAt.toISOString(),
      ...extra,
    });
    if (answer.status !== 201) throw new Error(`could not schedule: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  }

  /** One planner tick for this test's commune (the planner's timer is off in tests). */
  plan(planner = this.loa.app.get(PlaybackPlanner)): Promise<PlanReport> {
    return planner.planOnce({ communeIds: [this.loa.places.commune.id] });
  }

  /** A separate worker process sharing this app's database, queue prefix and audio store. */
  startWorker(environment: Record<string, string> = {}): WorkerProcess {
    const worker = WorkerProcess.start({
      DATABASE_URL: this.loa.config.database.url,
      REDIS_URL: this.loa.config.redis.url,
      AUDIO_DIR: this.loa.audioDir,
      QUEUE_PREFIX: this.loa.config.redis.queuePrefix,
      SPEAKER_TIME_SCALE: String(this.timeScale),
      ...environment,
    });
    this.workers.push(worker);
    return worker;
  }

  async playbacks(scheduleIds: string[]): Promise<PlaybackRow[]> {
    return (await this.loa.dataSource.query(
      `SELECT id, speaker_id AS "speakerId", village_id AS "villageId", scheduled_at AS "scheduledAt", status, failure_code AS "failureCode", failure_detail AS "failureDetail",
              attempts, lateness_ms AS "latenessMs", started_at AS "startedAt"
         FROM playbacks WHERE schedule_id = ANY($1) ORDER BY scheduled_at, speaker_id`,
      [scheduleIds],
    )) as PlaybackRow[];
  }

  /** Polls PostgreSQL until every playback of the schedules satisfies `done`. */
  async waitForPlaybacks(scheduleIds: string[], done: (rows: PlaybackRow[]) => boolean, timeoutMs: number, what: string): Promise<PlaybackRow[]> {
    return until(
      async () => {
        const rows = await this.playbacks(scheduleIds);
        return rows.length > 0 && done(rows) ? rows : null;
      },
      timeoutMs,
      `${what} (playbacks: ${scheduleIds.join(', ')})`,
    );
  }

  /** Until every playback of the schedules is terminal. */
  settled(scheduleIds: string[], timeoutMs: number): Promise<PlaybackRow[]> {
    return this.waitForPlaybacks(scheduleIds, (rows) => rows.every((row) => isTerminal(row.status)), timeoutMs, 'every playback terminal');
  }

  /**
   * What every fault must leave true, by SQL: no (schedule, speaker, instant) played twice, and every playback
   * whose instant has passed terminal. The unique key already forbids two rows, so the devices are asked too:
   * each speaker completed exactly as many transmissions as it has playbacks recorded `played`, no more (a replay)
   * and no fewer (a proof without a broadcast).
   */
  async expectSound(scheduleIds: string[], speakers: StageSpeaker[]): Promise<void> {
    const doubles = (await this.loa.dataSource.query(
      `SELECT schedule_id, speaker_id, scheduled_at, count(*)::int AS n FROM playbacks
        WHERE schedule_id = ANY($1) AND status = 'played' GROUP BY 1, 2, 3 HAVING count(*) > 1`,
      [scheduleIds],
    )) as unknown[];
    expect(doubles).toEqual([]);
    const open = (await this.loa.dataSource.query(
      `SELECT id, status, scheduled_at FROM playbacks WHERE schedule_id = ANY($1) AND scheduled_at <= now() AND NOT (status = ANY($2))`,
      [scheduleIds, TERMINAL_PLAYBACK_STATUSES],
    )) as unknown[];
    expect(open).toEqual([]);
    const rows = await this.playbacks(scheduleIds);
    for (const { id, device } of speakers) {
      const recorded = rows.filter((row) => row.speakerId === id && row.status === 'played').length;
      const transmitted = device.played.length;
      expect({ speaker: id, transmitted }).toEqual({ speaker: id, transmitted: recorded });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop('SIGKILL')));
    for (const device of this.devices) await device.close();
    await rm(this.fixtures, { recursive: true, force: true });
  }
}

export function isTerminal(status: string): boolean {
  return (TERMINAL_PLAYBACK_STATUSES as readonly string[]).includes(status);
}

/** Polls `probe` every `intervalMs` until it answers something other than null (a probe that throws counts as null). */
export async function until<T>(probe: () => Promise<T | null>, timeoutMs: number, what: string, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
