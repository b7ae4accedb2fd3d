import { randomUUID } from 'node:crypto';
import { BulletinStatus } from '../../src/bulletins/bulletin-status';
import { Bulletin } from '../../src/bulletins/bulletin.entity';
import { PlaybackStatus } from '../../src/playbacks/playback-status';
import { Playback } from '../../src/playbacks/playback.entity';
import { ScheduleStatus } from '../../src/schedules/schedule-status';
import { Schedule } from '../../src/schedules/schedule.entity';
import { Speaker } from '../../src/speakers/speaker.entity';
import { Topic } from '../../src/topics/topic.entity';
import { call } from '../support/api';
import { Session } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';
import { SchedulePriority } from '../../src/schedules/schedule-priority';

interface Page {
  items: Array<{ id: string; scheduledAt: string }>;
  next: string | null;
}

describe('GET /api/playbacks pages to its end', () => {
  let loa: TestApp;
  let scheduleId: string;
  /** Every playback of the schedule, in the order the list gives them. */
  let inOrder: string[];

  beforeAll(async () => {
    loa = await startTestApp();
    const { commune, village } = loa.places;
    const topic = await loa.dataSource.getRepository(Topic).findOneByOrFail({ name: 'Khác' });
    const sha = randomUUID().replace(/-/g, '').padEnd(64, '0');
    const bulletin = await loa.dataSource.getRepository(Bulletin).save({
      title: 'Bản tin trang',
      communeId: commune.id,
      topicId: topic.id,
      status: BulletinStatus.Approved,
      durationMs: 60_000,
      originalSha256: sha,
      originalFilename: 'x.mp3',
      originalBytes: 1,
      originalFormat: 'mp3',
      originalCodec: 'mp3',
      originalDurationMs: 60_000,
      originalSampleRate: 44100,
      originalChannels: 1,
      originalPeakDbfs: -3,
      renditionSha256: sha,
    });
    const schedule = await loa.dataSource.getRepository(Schedule).save({
      communeId: commune.id,
      title: 'Lịch nhiều lượt',
      status: ScheduleStatus.Active,
      rrule: 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY;BYHOUR=6',
      startsAt: null,
      timezone: 'Asia/Ho_Chi_Minh',
      programMs: bulletin.durationMs,
    });
    scheduleId = schedule.id;
    const speakers = await loa.dataSource
      .getRepository(Speaker)
      .save(
        [1, 2].map((n) => ({ villageId: village.id, name: `Cụm loa trang ${n} ${randomUUID().slice(0, 8)}`, driver: 'manual', settings: {}, secretsSealed: null })),
      );
    // Four days × two speakers: pairs share an instant, so the id must order them.
    const rows = [0, 1, 2, 3].flatMap((day) =>
      speakers.map((speaker) => {
        const scheduledAt = new Date(Date.UTC(2026, 0, 1 + day, 23));
        return {
          scheduleId,
          speakerId: speaker.id,
          villageId: village.id,
          communeId: commune.id,
          priority: SchedulePriority.Normal,
          scheduledAt,
          graceUntil: scheduledAt,
          status: PlaybackStatus.Played,
          problemKind: 'not_heard' as const,
          problemReportedAt: new Date(Date.UTC(2026, 0, 10 - day, 8)),
        };
      }),
    );
    const saved = await loa.dataSource.getRepository(Playback).save(rows);
    inOrder = saved.sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime() || a.id.localeCompare(b.id)).map((playback) => playback.id);
  });

  afterAll(async () => {
    await loa?.close();
  });

  /** Reads page after page as the answer says, until `next` is null. */
  async function everyPage(as: Session, filters: string): Promise<Page[]> {
    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const answer: { status: number; body: Page } = await call<Page>(as, 'GET', `/api/playbacks?${filters}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(answer.status).toBe(200);
      pages.push(answer.body);
      after = answer.body.next;
    } while (after && pages.length < 20);
    return pages;
  }

  it('gives every playback once, in scheduled order, over pages of `limit`', async () => {
    const pages = await everyPage(loa.people.editor, `scheduleId=${scheduleId}&limit=3`);
    expect(pages.map((page) => page.items.length)).toEqual([3, 3, 2]);
    expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual(inOrder);
    expect(pages[2].next).toBeNull();
  });

  it('pages the latest problems first', async () => {
    const pages = await everyPage(loa.people.editor, `scheduleId=${scheduleId}&problem=true&limit=5`);
    expect(pages.map((page) => page.items.length)).toEqual([5, 3]);
    // The earlier the day, the later its problem was reported: so here the days come in order too, each pair by id.
    const days = pages.flatMap((page) => page.items.map((item) => item.scheduledAt.slice(0, 10)));
    expect(days).toEqual(['2026-01-01', '2026-01-01', '2026-01-02', '2026-01-02', '2026-01-03', '2026-01-03', '2026-01-04', '2026-01-04']);
    expect(new Set(pages.flatMap((page) => page.items.map((item) => item.id)))).toEqual(new Set(inOrder));
  });

  it('answers a whole short list in one page, and refuses a cursor it did not write', async () => {
    const whole = await call<Page>(loa.people.editor, 'GET', `/api/playbacks?scheduleId=${scheduleId}`);
    expect(whole.body.items.map((item) => item.id)).toEqual(inOrder);
    expect(whole.body.next).toBeNull();
    for (const after of ['2026-13-45T99:00:00.000Z|00000000-0000-0000-0000-000000000000', `2026-01-01T23:00:00.000Z|${'-'.repeat(36)}`, 'x']) {
      const answer = await call(loa.people.editor, 'GET', `/api/playbacks?scheduleId=${scheduleId}&after=${encodeURIComponent(after)}`);
      expect(answer).toMatchObject({ status: 400, body: { message: 'after must be the next cursor of a previous page' } });
    }
  });
});
