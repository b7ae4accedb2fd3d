import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { Playback } from '../../src/playbacks/playback.entity';
import { playbackFailure } from '../../src/playbacks/playback-failure';
import { PlaybackRepository } from '../../src/playbacks/playback-repository';
import { PlaybackStatus } from '../../src/playbacks/playback-status';
import { SchedulePriority } from '../../src/schedules/schedule-priority';
import { createPlaces, Places } from '../support/people';

const EVIDENCE = { level: 'device_reported', items: [] };

/** The repository is the playbacks' only writer: a write the state machine forbids changes no row. */
describe('PlaybackRepository guards every status change by the state machine', () => {
  let dataSource: DataSource;
  let playbacks: PlaybackRepository;
  let places: Places;
  let scheduleId: string;
  let speakerId: string;
  let minute = 0;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(AppConfig.fromEnvironment(process.env)));
    await dataSource.initialize();
    playbacks = new PlaybackRepository(dataSource);
    places = await createPlaces(dataSource);
    const [schedule] = (await dataSource.query(
      `INSERT INTO schedules (commune_id, title, status, rrule, timezone, priority, program_ms)
       VALUES ($1, 'Bản tin sáng', 'paused', 'DTSTART:20260101T060000\nRRULE:FREQ=DAILY', 'Asia/Ho_Chi_Minh', 'normal', 60000) RETURNING id`,
      [places.commune.id],
    )) as Array<{ id: string }>;
    const [speaker] = (await dataSource.query(`INSERT INTO speakers (village_id, name, driver) VALUES ($1, 'Cụm loa chợ', 'manual') RETURNING id`, [
      places.village.id,
    ])) as Array<{ id: string }>;
    scheduleId = schedule.id;
    speakerId = speaker.id;
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  /** A fresh `planned` playback, at its own instant. */
  async function planned(): Promise<string> {
    const scheduledAt = new Date(Date.UTC(2030, 0, 1, 6, minute++));
    const inserted = await playbacks.insertPlanned([
      {
        scheduleId,
        speakerId,
        villageId: places.village.id,
        communeId: places.commune.id,
        priority: SchedulePriority.Normal,
        programVersion: 1,
        scheduledAt,
        graceUntil: new Date(scheduledAt.getTime() + 60_000),
      },
    ]);
    expect(inserted).toBe(1);
    const row = await dataSource.getRepository(Playback).findOneByOrFail({ scheduleId, scheduledAt });
    return row.id;
  }

  const read = (id: string) => dataSource.getRepository(Playback).findOneByOrFail({ id });

  it('refuses to take a played playback back to dispatching, or to end it again in any other way', async () => {
    const id = await planned();
    const attempts = await playbacks.claimAttempts([id]);
    expect(attempts.get(id)).toBe(1);
    await playbacks.recordOutcomes([{ id, attempt: 1, status: PlaybackStatus.Played, failure: null, evidence: EVIDENCE, finishedAt: new Date() }]);
    const played = await read(id);
    expect(played).toMatchObject({ status: PlaybackStatus.Played, attempts: 1, failureCode: null });

    expect(await playbacks.claimAttempts([id])).toEqual(new Map());
    expect(await playbacks.markMissed([id], playbackFailure('late'))).toEqual([]);
    expect(await playbacks.failBeforeAttempt([id], playbackFailure('speaker_unavailable'))).toEqual([]);
    expect(await playbacks.preemptOnAir(id, 'broadcast_stopped')).toBe(false);
    await playbacks.recordOutcomes([{ id, attempt: 1, status: PlaybackStatus.Failed, failure: playbackFailure('timeout'), evidence: null, finishedAt: new Date() }]);

    expect(await read(id)).toEqual(played);
  });

  it('refuses to record an outcome for a playback no attempt was claimed for (planned → played)', async () => {
    const id = await planned();
    await playbacks.recordOutcomes([{ id, attempt: 0, status: PlaybackStatus.Played, failure: null, evidence: EVIDENCE, finishedAt: new Date() }]);
    expect(await read(id)).toMatchObject({ status: PlaybackStatus.Planned, attempts: 0, finishedAt: null });
  });

  it('lets a waiting playback be missed with its reason, once', async () => {
    const id = await planned();
    expect(await playbacks.markMissed([id], playbackFailure('late', 'waited 90 s'))).toEqual([id]);
    expect(await playbacks.markMissed([id], playbackFailure('service_down'))).toEqual([]);
    expect(await read(id)).toMatchObject({ status: PlaybackStatus.Missed, failureCode: 'late', failureDetail: 'waited 90 s' });
  });
});
