import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { BulletinStatus } from '../../src/bulletins/bulletin-status';
import { Bulletin } from '../../src/bulletins/bulletin.entity';
import { PlaybackPlanner } from '../../src/playbacks/playback-planner';
import { Speaker } from '../../src/speakers/speaker.entity';
import { Topic } from '../../src/topics/topic.entity';
import { parseTimeOfDay, timeItems, timesRule } from '../../web/src/times-of-day';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';

type Body = Record<string, any>;

/**
 * Several times of day with different minutes in one schedule, as an official types them ("6h, 17h30"): the console's
 * rule (times-of-day.ts) is saved, planned, and airs at exactly those times each day in the commune's zone; and the
 * occurrences preview starts no earlier than the schedule's creation.
 */
describe('Schedules at times people say', () => {
  let loa: TestApp;
  let bulletinId: string;
  let speakerId: string;

  beforeAll(async () => {
    loa = await startTestApp();
    const topicId = (await loa.dataSource.getRepository(Topic).findOneByOrFail({ name: 'Khác' })).id;
    const bulletins = loa.dataSource.getRepository(Bulletin);
    const sha = randomUUID().replace(/-/g, '').padEnd(64, '0');
    bulletinId = (
      await bulletins.save(
        bulletins.create({
          title: 'Bản tin sáng chiều',
          communeId: loa.places.commune.id,
          topicId,
          status: BulletinStatus.Approved,
          originalSha256: sha,
          originalFilename: 'x.mp3',
          originalBytes: 1,
          originalFormat: 'mp3',
          originalCodec: 'mp3',
          originalDurationMs: 5 * 60_000,
          originalSampleRate: 44100,
          originalChannels: 1,
          originalPeakDbfs: -3,
          renditionSha256: sha,
          durationMs: 5 * 60_000,
        }),
      )
    ).id;
    const speakers = loa.dataSource.getRepository(Speaker);
    speakerId = (
      await speakers.save(speakers.create({ villageId: loa.places.village.id, name: 'Cụm loa chợ', driver: 'manual', settings: {}, secretsSealed: null }))
    ).id;
  });

  afterAll(async () => {
    await loa?.close();
  });

  const typed = (text: string) => timeItems(text).map((item) => parseTimeOfDay(item)!);

  it('"6h, 17h30" is one schedule that plays at 06:00 and 17:30 every day in the commune’s zone, and nothing else', async () => {
    const times = typed('6h, 17h30');
    expect(times).toEqual(['06:00', '17:30']);
    const created = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
      title: 'Bản tin 6h và 17h30',
      bulletinIds: [bulletinId],
      targets: { speakerIds: [speakerId] },
      rrule: timesRule(times, null),
    });
    expect(created.status).toBe(201);
    await loa.app.get(PlaybackPlanner).planOnce({ communeIds: [loa.places.commune.id] });

    const rows = (await loa.dataSource.query('SELECT scheduled_at AS "scheduledAt" FROM playbacks WHERE schedule_id = $1 ORDER BY scheduled_at', [
      created.body.id,
    ])) as {
      scheduledAt: Date;
    }[];
    const zone = loa.places.commune.timezone;
    const local = rows.map((row) => DateTime.fromJSDate(new Date(row.scheduledAt), { zone }));
    // The planner's 48 h horizon holds at least three of these instants, whatever the hour the test runs.
    expect(local.length).toBeGreaterThanOrEqual(3);
    expect(new Set(local.map((at) => at.toFormat('HH:mm')))).toEqual(new Set(['06:00', '17:30']));
    const perDay = new Map<string, string[]>();
    for (const at of local) perDay.set(at.toISODate()!, [...(perDay.get(at.toISODate()!) ?? []), at.toFormat('HH:mm')]);
    // Every whole day inside the horizon airs both, once each.
    const tomorrow = DateTime.now().setZone(zone).plus({ days: 1 }).toISODate()!;
    expect(perDay.get(tomorrow)).toEqual(['06:00', '17:30']);

    const preview = await call<Body>(loa.people.editor, 'GET', `/api/schedules/${created.body.id}/occurrences`);
    expect(preview.status).toBe(200);
    expect(new Set(preview.body.occurrences.map((item: Body) => (item.local as string).slice(11, 16)))).toEqual(new Set(['06:00', '17:30']));
  });

  it('previews no occurrence before the schedule existed, however early `from` is', async () => {
    const everyHour = await call<Body>(loa.people.editor, 'POST', '/api/schedules', {
      title: 'Mỗi giờ',
      bulletinIds: [bulletinId],
      targets: { speakerIds: [speakerId] },
      rrule: 'FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=0;BYSECOND=0',
    });
    expect(everyHour.status).toBe(201);
    const createdAt = new Date(everyHour.body.createdAt);
    const from = new Date(createdAt.getTime() - 3 * 86_400_000);
    const preview = await call<Body>(
      loa.people.editor,
      'GET',
      `/api/schedules/${everyHour.body.id}/occurrences?from=${from.toISOString()}&to=${new Date(createdAt.getTime() + 86_400_000).toISOString()}`,
    );
    expect(preview.status).toBe(200);
    const starts = preview.body.occurrences.map((item: Body) => new Date(item.at).getTime());
    expect(starts.length).toBeGreaterThanOrEqual(23);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(createdAt.getTime());
  });
});
