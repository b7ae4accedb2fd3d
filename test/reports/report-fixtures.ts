import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { BulletinStatus } from '../../src/bulletins/bulletin-status';
import { Bulletin } from '../../src/bulletins/bulletin.entity';
import { Places } from '../support/people';

export const ZONE = 'Asia/Ho_Chi_Minh';

/** A playback as seeded, with the local day the report must put it on. */
export interface SeededPlayback {
  id: string;
  scheduleId: string;
  speakerId: string;
  villageId: string;
  priority: string;
  scheduledAt: Date;
  localDay: string;
  status: string;
  reason: string | null;
  /** A problem the village operator reported on it (power_cut, …). */
  problem?: string | null;
}

export interface ReportWorld {
  topics: { digital: string; project06: string };
  /** 06:00 and 00:15: "Chuyển đổi số" 3 min + "Đề án 06" 2 min. */
  morning: { id: string; programMs: number };
  /** 23:30, emergency: "Chuyển đổi số" 3 min. */
  night: { id: string; programMs: number };
  speakers: Array<{ id: string; villageId: string; name: string }>;
  playbacks: SeededPlayback[];
}

export async function topic(dataSource: DataSource, name: string): Promise<string> {
  const [row] = await dataSource.query(
    // After every other topic, as the topics API places a new one: other test files read the plan's themes first.
    `INSERT INTO topics (name, sort_order) VALUES ($1, (SELECT COALESCE(max(sort_order), 0) + 10 FROM topics)) RETURNING id`,
    [name],
  );
  return row.id as string;
}

export async function bulletin(dataSource: DataSource, communeId: string, topicId: string, title: string, durationMs: number): Promise<string> {
  const repository = dataSource.getRepository(Bulletin);
  const sha = randomUUID().replace(/-/g, '').padEnd(64, '0');
  const saved = await repository.save(
    repository.create({
      title,
      communeId,
      topicId,
      status: BulletinStatus.Approved,
      originalSha256: sha,
      originalFilename: 'x.mp3',
      originalBytes: 1,
      originalFormat: 'mp3',
      originalCodec: 'mp3',
      originalDurationMs: durationMs,
      originalSampleRate: 44100,
      originalChannels: 1,
      originalPeakDbfs: -3,
      renditionSha256: sha,
      durationMs,
    }),
  );
  return saved.id;
}

export async function schedule(
  dataSource: DataSource,
  communeId: string,
  title: string,
  priority: string,
  bulletinIds: string[],
  programMs: number,
): Promise<string> {
  const [row] = await dataSource.query(
    `INSERT INTO schedules (commune_id, title, status, rrule, timezone, priority, program_ms)
     VALUES ($1, $2, 'paused', 'DTSTART:20260101T060000\nRRULE:FREQ=DAILY', $3, $4, $5) RETURNING id`,
    [communeId, title, ZONE, priority, programMs],
  );
  for (const [position, bulletinId] of bulletinIds.entries()) {
    await dataSource.query(`INSERT INTO schedule_bulletins (schedule_id, version, position, bulletin_id) VALUES ($1, 1, $2, $3)`, [row.id, position, bulletinId]);
  }
  return row.id as string;
}

export async function insertPlaybacks(dataSource: DataSource, communeId: string, playbacks: SeededPlayback[]): Promise<void> {
  const column = <K extends keyof SeededPlayback>(key: K) => playbacks.map((playback) => playback[key]);
  await dataSource.query(
    `INSERT INTO playbacks (id, schedule_id, speaker_id, village_id, commune_id, priority, scheduled_at, grace_until, status, failure_code,
       started_at, finished_at, evidence_level, problem_kind, problem_reported_at)
     SELECT id, schedule_id, speaker_id, village_id, $1, priority, at, at + interval '10 minutes', status, reason,
       CASE WHEN status IN ('played', 'preempted') THEN at + interval '1 second' END,
       CASE WHEN status IN ('played', 'preempted') THEN at + interval '61 seconds' END,
       CASE WHEN status IN ('played', 'preempted') THEN 'device_reported' END,
       problem, CASE WHEN problem IS NOT NULL THEN at + interval '5 minutes' END
     FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::text[])
       AS t(id, schedule_id, speaker_id, village_id, priority, at, status, reason, problem)`,
    [
      communeId,
      column('id'),
      column('scheduleId'),
      column('speakerId'),
      column('villageId'),
      column('priority'),
      column('scheduledAt'),
      column('status'),
      column('reason'),
      playbacks.map((playback) => playback.problem ?? null),
    ],
  );
}

/** Ten statuses in turn: mostly played, and each way a broadcast can go wrong. */
const OUTCOMES: Array<[string, string | null]> = [
  ['played', null],
  ['played', null],
  ['played', null],
  ['played', null],
  ['played', null],
  ['played', null],
  ['failed', 'speaker_busy'],
  ['missed', 'late'],
  ['preempted', 'preempted_by_emergency'],
  ['cancelled', 'schedule_cancelled'],
];

/**
 * Three speakers (two in the operator's village, one in its neighbour), playbacks every local day from 31 October
 * to 1 December at 00:15, 06:00 and 23:30 Asia/Ho_Chi_Minh: 00:15 is the previous day in UTC and 23:30 is 16:30 UTC,
 * so a report that cut days in UTC would be wrong at both ends of November.
 */
export async function seedReportWorld(dataSource: DataSource, places: Places): Promise<ReportWorld> {
  const tag = randomUUID().slice(0, 8);
  const communeId = places.commune.id;
  const digital = await topic(dataSource, `Chuyển đổi số ${tag}`);
  const project06 = await topic(dataSource, `Đề án 06 ${tag}`);
  const a = await bulletin(dataSource, communeId, digital, 'Bản tin chuyển đổi số', 180_000);
  const b = await bulletin(dataSource, communeId, project06, 'Bản tin Đề án 06', 120_000);
  const morning = { id: await schedule(dataSource, communeId, 'Bản tin sáng', 'normal', [a, b], 300_000), programMs: 300_000 };
  const night = { id: await schedule(dataSource, communeId, 'Cảnh báo đêm', 'emergency', [a], 180_000), programMs: 180_000 };

  const speakers: ReportWorld['speakers'] = [];
  for (const [index, villageId] of [places.village.id, places.village.id, places.neighbourVillage.id].entries()) {
    const name = `Cụm loa ${index + 1}`;
    const [row] = await dataSource.query(`INSERT INTO speakers (village_id, name, driver) VALUES ($1, $2, 'manual') RETURNING id`, [villageId, name]);
    speakers.push({ id: row.id, villageId, name });
  }

  const playbacks: SeededPlayback[] = [];
  let turn = 0;
  for (let day = DateTime.fromISO('2026-10-31', { zone: ZONE }); day <= DateTime.fromISO('2026-12-01', { zone: ZONE }); day = day.plus({ days: 1 })) {
    for (const [hour, minute, slot] of [
      [0, 15, morning],
      [6, 0, morning],
      [23, 30, night],
    ] as const) {
      const at = day.set({ hour, minute });
      for (const speaker of speakers) {
        const [status, reason] = OUTCOMES[turn++ % OUTCOMES.length];
        playbacks.push({
          id: randomUUID(),
          scheduleId: slot.id,
          speakerId: speaker.id,
          villageId: speaker.villageId,
          priority: slot === night ? 'emergency' : 'normal',
          scheduledAt: at.toJSDate(),
          localDay: at.toISODate()!,
          status,
          reason,
        });
      }
    }
  }
  await insertPlaybacks(dataSource, communeId, playbacks);
  return { topics: { digital, project06 }, morning, night, speakers, playbacks };
}

/**
 * What the report must say, counted straight from the seeded playbacks: played with a problem report is not
 * effective, and plays stopped or pre-empted by decision are not due.
 */
export function expectedTotals(playbacks: SeededPlayback[], world: Pick<ReportWorld, 'morning' | 'night'>) {
  const of = (status: string) => playbacks.filter((playback) => playback.status === status).length;
  const effective = playbacks.filter((playback) => playback.status === 'played' && !playback.problem);
  const withProblem = of('played') - effective.length;
  const due = of('played') + of('failed') + of('missed');
  return {
    playbacks: playbacks.length,
    planned: playbacks.length - of('cancelled'),
    played: effective.length,
    playedWithProblem: withProblem,
    failed: of('failed'),
    missed: of('missed'),
    preempted: of('preempted'),
    cancelled: of('cancelled'),
    pending: of('planned') + of('queued') + of('dispatching') + of('playing'),
    compliance: due === 0 ? null : Math.round((effective.length / due) * 10_000) / 10_000,
    onAirMs: effective.reduce((sum, playback) => sum + (playback.scheduleId === world.morning.id ? world.morning.programMs : world.night.programMs), 0),
  };
}
