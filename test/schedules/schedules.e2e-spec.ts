import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { BulletinStatus } from '../../src/bulletins/bulletin-status';
import { Bulletin } from '../../src/bulletins/bulletin.entity';
import { Commune } from '../../src/communes/commune.entity';
import { Speaker } from '../../src/speakers/speaker.entity';
import { Topic } from '../../src/topics/topic.entity';
import { call, listAll } from '../support/api';
import { Session } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';

type Body = Record<string, any>;

describe('Schedules', () => {
  let loa: TestApp;
  let topicId: string;
  let morning: string;
  let news: string;
  let speakerHere: string;
  let speakerAlsoHere: string;

  beforeAll(async () => {
    loa = await startTestApp();
    topicId = (await loa.dataSource.getRepository(Topic).findOneByOrFail({ name: 'Khác' })).id;
    morning = await bulletin({ title: 'Bản tin buổi sáng', durationMs: 8 * 60_000 });
    news = await bulletin({ title: 'Tin chuyển đổi số', durationMs: 2 * 60_000 });
    speakerHere = await speaker(loa.places.village.id, 'Cụm loa nhà văn hóa');
    speakerAlsoHere = await speaker(loa.places.village.id, 'Cụm loa chợ');
  });

  afterAll(async () => {
    await loa?.close();
  });

  /** A bulletin written directly with its rendition's duration: scheduling needs no real audio. */
  async function bulletin(options: { title: string; durationMs: number; status?: BulletinStatus; communeId?: string }): Promise<string> {
    const repository = loa.dataSource.getRepository(Bulletin);
    const sha = randomUUID().replace(/-/g, '').padEnd(64, '0');
    const saved = await repository.save(
      repository.create({
        title: options.title,
        communeId: options.communeId ?? loa.places.commune.id,
        topicId,
        status: options.status ?? BulletinStatus.Approved,
        originalSha256: sha,
        originalFilename: 'x.mp3',
        originalBytes: 1,
        originalFormat: 'mp3',
        originalCodec: 'mp3',
        originalDurationMs: options.durationMs,
        originalSampleRate: 44100,
        originalChannels: 1,
        originalPeakDbfs: -3,
        renditionSha256: sha,
        durationMs: options.durationMs,
      }),
    );
    return saved.id;
  }

  async function speaker(villageId: string, name: string): Promise<string> {
    const repository = loa.dataSource.getRepository(Speaker);
    return (
      await repository.save(repository.create({ villageId, name: `${name} ${randomUUID().slice(0, 4)}`, driver: 'manual', settings: {}, secretsSealed: null }))
    ).id;
  }

  const daily = 'FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0';
  // Each title its own: the same content twice is refused as a double submission.
  let made = 0;
  const body = (extra: Body = {}): Body => ({
    title: `Bản tin sáng và chiều ${++made}`,
    bulletinIds: [morning, news],
    targets: { villageIds: [loa.places.village.id] },
    rrule: daily,
    ...extra,
  });
  const create = (as: Session, extra: Body = {}) => call<Body>(as, 'POST', '/api/schedules', body(extra));

  describe('create, read and scope', () => {
    it('creates a recurring schedule with the defaults a commune expects', async () => {
      const created = await create(loa.people.editor, { title: 'Bản tin sáng và chiều', bulletinIds: [news, morning] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        communeId: loa.places.commune.id,
        title: 'Bản tin sáng và chiều',
        status: 'active',
        bulletinIds: [news, morning],
        targets: { communeIds: [], villageIds: [loa.places.village.id], speakerIds: [] },
        startsAt: null,
        timezone: 'Asia/Ho_Chi_Minh',
        priority: 'normal',
        misfireGraceSeconds: 600,
        chime: false,
        validFrom: null,
        validUntil: null,
        programSeconds: 600,
        revision: 1,
        createdBy: loa.people.editor.user.id,
      });
      expect(created.body.rrule).toMatch(/^DTSTART:\d{8}T000000\nRRULE:FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0$/);
    });

    it('keeps a one-off with its options, and counts the chime in the program', async () => {
      const startsAt = new Date(Date.now() + 3_600_000).toISOString();
      const created = await create(loa.people.admin, {
        rrule: undefined,
        startsAt,
        priority: 'priority',
        misfireGraceSeconds: 120,
        chime: true,
        timezone: 'Asia/Bangkok',
        targets: { speakerIds: [speakerHere], communeIds: [loa.places.commune.id] },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        startsAt,
        rrule: null,
        priority: 'priority',
        misfireGraceSeconds: 120,
        chime: true,
        timezone: 'Asia/Bangkok',
        programSeconds: 605,
      });
    });

    it('shows a schedule to its commune readers only; operators may not read schedules', async () => {
      const { body: schedule } = await create(loa.people.editor);
      for (const reader of [loa.people.editor, loa.people.approver, loa.people.viewer, loa.people.admin]) {
        expect((await call(reader, 'GET', `/api/schedules/${schedule.id}`)).status).toBe(200);
        expect((await listAll<Body>(reader, '/api/schedules')).map((item) => item.id)).toContain(schedule.id);
      }
      const outside = await call<Body>(loa.people.otherEditor, 'GET', `/api/schedules/${schedule.id}`);
      expect(outside.status).toBe(404);
      expect(outside.body).toEqual({ statusCode: 404, error: 'Not Found', message: `No schedule has id ${schedule.id}` });
      expect((await listAll<Body>(loa.people.otherEditor, '/api/schedules')).map((item) => item.id)).not.toContain(schedule.id);
      expect((await call(loa.people.operator, 'GET', `/api/schedules/${schedule.id}`)).status).toBe(403);
      expect((await listAll<Body>(loa.people.approver, '/api/schedules?status=cancelled')).map((item) => item.id)).not.toContain(schedule.id);
    });

    it('lets only editors and admins write, and only within their communes', async () => {
      expect((await create(loa.people.approver)).status).toBe(403);
      expect((await create(loa.people.viewer)).status).toBe(403);
      expect((await create(loa.people.operator)).status).toBe(403);
      const outside = await create(loa.people.otherEditor);
      expect(outside.status).toBe(404);
      expect(outside.body.message).toBe(`targets.villageIds: no village has id ${loa.places.village.id}`);
      const foreignBulletin = await bulletin({ title: 'Tin xã khác', durationMs: 60_000, communeId: loa.places.otherCommune.id });
      const hidden = await create(loa.people.editor, { bulletinIds: [foreignBulletin] });
      expect(hidden.status).toBe(404);
      expect(hidden.body.message).toBe(`bulletinIds[0]: no bulletin has id ${foreignBulletin}`);
    });
  });

  describe('refuses what cannot air, naming the field', () => {
    const cases: [string, () => Body, RegExp][] = [
      ['no title', () => ({ title: undefined }), /title/],
      ['no bulletins', () => ({ bulletinIds: [] }), /bulletinIds must name at least one/],
      ['a bulletin id that is no id', () => ({ bulletinIds: ['nope'] }), /bulletinIds must hold ids/],
      ['no targets at all', () => ({ targets: undefined }), /targets must be given/],
      ['empty targets', () => ({ targets: { villageIds: [] } }), /targets must name at least one/],
      ['both timings', () => ({ startsAt: new Date(Date.now() + 60_000).toISOString() }), /either startsAt .* or rrule/],
      ['no timing', () => ({ rrule: undefined }), /exactly one of startsAt .* or rrule/],
      ['a one-off in the past', () => ({ rrule: undefined, startsAt: '2020-01-01T06:00:00+07:00' }), /startsAt .* is in the past/],
      ['a rule without a time of day', () => ({ rrule: 'FREQ=DAILY' }), /rrule must give the local time of day/],
      ['a rule that is not RFC 5545', () => ({ rrule: 'every day at six' }), /rrule/],
      ['an unknown zone', () => ({ timezone: 'Asia/Hanoi_Old' }), /timezone must be an IANA zone/],
      ['an unknown priority', () => ({ priority: 'urgent' }), /priority must be one of normal, priority, emergency/],
      ['a negative grace', () => ({ misfireGraceSeconds: -1 }), /misfireGraceSeconds must be at least 0/],
      ['validity backwards', () => ({ validFrom: '2027-01-02T00:00:00Z', validUntil: '2027-01-01T00:00:00Z' }), /validUntil must not be before validFrom/],
      ['an unknown field', () => ({ repeat: true }), /property repeat should not exist/],
      ['a null rule', () => ({ rrule: null }), /rrule must be a string/],
      ['null targets', () => ({ targets: null }), /targets must be/],
    ];

    it.each(cases)('%s', async (_name, extra, message) => {
      const answer = await create(loa.people.editor, extra());
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
    });

    it('a bulletin that is not approved', async () => {
      const ready = await bulletin({ title: 'Chờ duyệt', durationMs: 60_000, status: BulletinStatus.Ready });
      const answer = await create(loa.people.editor, { bulletinIds: [morning, ready] });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toBe(`bulletinIds[1]: bulletin "Chờ duyệt" (${ready}) is ready, not approved; only approved bulletins can be scheduled`);
    });

    it('targets and bulletins of two communes', async () => {
      const answer = await create(loa.people.admin, { targets: { villageIds: [loa.places.otherVillage.id] } });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/^targets and bulletinIds must all belong to one commune; they belong to 2/);
    });
  });

  describe("the commune's session cap", () => {
    let commune: Commune;
    beforeAll(async () => {
      commune = (await call<Commune>(loa.people.admin, 'GET', `/api/communes/${loa.places.commune.id}`)).body;
    });
    afterAll(async () => {
      await call(loa.people.admin, 'PATCH', `/api/communes/${loa.places.commune.id}`, { maxSessionSeconds: 2700 });
    });

    it('is 45 minutes unless an admin sets it', async () => {
      expect(commune.maxSessionSeconds).toBe(2700);
      const bad = await call<Body>(loa.people.admin, 'PATCH', `/api/communes/${commune.id}`, { maxSessionSeconds: 30 });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/maxSessionSeconds must be at least 60/);
    });

    it('refuses a program longer than the cap with both lengths, and accepts it once the cap is raised', async () => {
      const long = await bulletin({ title: 'Phóng sự dài', durationMs: 40 * 60_000 });
      const refused = await create(loa.people.editor, { bulletinIds: [long, morning] });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toBe(
        "bulletinIds: the program lasts 48 min, longer than the commune's session cap of 45 min; remove bulletins or ask an admin to raise maxSessionSeconds of the commune",
      );
      expect((await create(loa.people.editor, { bulletinIds: [long, news], chime: true })).status).toBe(201);
      expect((await create(loa.people.editor, { bulletinIds: [long, news, news, news], chime: true })).body.message).toMatch(
        /46 min 5 s \(bulletins 46 min \+ chime 5 s\)/,
      );
      expect((await call(loa.people.admin, 'PATCH', `/api/communes/${commune.id}`, { maxSessionSeconds: 3600 })).status).toBe(200);
      expect((await create(loa.people.editor, { bulletinIds: [long, morning] })).status).toBe(201);
    });

    it('checks the cap again when a schedule is edited', async () => {
      const { body: schedule } = await create(loa.people.editor);
      await call(loa.people.admin, 'PATCH', `/api/communes/${commune.id}`, { maxSessionSeconds: 600 });
      const longer = await call<Body>(loa.people.editor, 'PATCH', `/api/schedules/${schedule.id}`, { chime: true });
      expect(longer.status).toBe(400);
      expect(longer.body.message).toMatch(/10 min 5 s .* session cap of 10 min/);
      await call(loa.people.admin, 'PATCH', `/api/communes/${commune.id}`, { maxSessionSeconds: 2700 });
    });
  });

  describe('editing', () => {
    it('replaces program, targets and timing, and raises the revision', async () => {
      const { body: schedule } = await create(loa.people.editor);
      const startsAt = new Date(Date.now() + 86_400_000).toISOString();
      const edited = await call<Body>(loa.people.editor, 'PATCH', `/api/schedules/${schedule.id}`, {
        title: 'Đổi',
        bulletinIds: [news],
        targets: { speakerIds: [speakerAlsoHere] },
        startsAt,
        priority: 'emergency',
      });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        title: 'Đổi',
        bulletinIds: [news],
        targets: { communeIds: [], villageIds: [], speakerIds: [speakerAlsoHere] },
        startsAt,
        rrule: null,
        priority: 'emergency',
        programSeconds: 120,
        revision: 2,
        updatedBy: loa.people.editor.user.id,
      });
      const back = await call<Body>(loa.people.admin, 'PATCH', `/api/schedules/${schedule.id}`, { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=6' });
      expect(back.body).toMatchObject({ startsAt: null, revision: 3, bulletinIds: [news] });
      expect(back.body.rrule).toMatch(/RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=6$/);
    });

    it('keeps a schedule in its commune', async () => {
      const { body: schedule } = await create(loa.people.admin);
      const foreign = await bulletin({ title: 'Tin xã khác', durationMs: 60_000, communeId: loa.places.otherCommune.id });
      const moved = await call<Body>(loa.people.admin, 'PATCH', `/api/schedules/${schedule.id}`, {
        bulletinIds: [foreign],
        targets: { villageIds: [loa.places.otherVillage.id] },
      });
      expect(moved.status).toBe(400);
      expect(moved.body.message).toMatch(/must stay in the schedule's commune/);
      const cleared = await call<Body>(loa.people.admin, 'PATCH', `/api/schedules/${schedule.id}`, { rrule: null, title: null });
      expect(cleared.status).toBe(400);
      expect(cleared.body.message).toMatch(/title must be 1 to 200 characters.*rrule must be a string/);
      const unbounded = await call<Body>(loa.people.admin, 'PATCH', `/api/schedules/${schedule.id}`, { validFrom: '2027-01-01T00:00:00Z' });
      expect(unbounded.body).toMatchObject({ validFrom: '2027-01-01T00:00:00.000Z' });
      expect((await call<Body>(loa.people.admin, 'PATCH', `/api/schedules/${schedule.id}`, { validFrom: null })).body).toMatchObject({ validFrom: null });
    });
  });

  describe('occurrences preview', () => {
    const tomorrow = () => DateTime.now().setZone('Asia/Ho_Chi_Minh').plus({ days: 1 }).startOf('day');

    it('answers each instant in UTC and in the commune zone, and the speakers the targets mean now', async () => {
      const { body: schedule } = await create(loa.people.editor, { targets: { villageIds: [loa.places.village.id] } });
      const lateSpeaker = await speaker(loa.places.village.id, 'Cụm loa mới lắp');
      const from = tomorrow();
      const preview = await call<Body>(
        loa.people.viewer,
        'GET',
        `/api/schedules/${schedule.id}/occurrences?from=${encodeURIComponent(from.toISO()!)}&to=${encodeURIComponent(from.plus({ days: 2 }).toISO()!)}`,
      );
      expect(preview.status).toBe(200);
      const day = (offset: number) => from.plus({ days: offset });
      expect(preview.body.occurrences).toEqual(
        [0, 1].flatMap((offset) => [
          {
            at: day(offset).set({ hour: 6 }).toUTC().toISO(),
            local: day(offset).set({ hour: 6 }).toISO({ suppressMilliseconds: true }),
            endsAt: day(offset).set({ hour: 6, minute: 10 }).toUTC().toISO(),
            shiftedByDst: false,
          },
          {
            at: day(offset).set({ hour: 17 }).toUTC().toISO(),
            local: day(offset).set({ hour: 17 }).toISO({ suppressMilliseconds: true }),
            endsAt: day(offset).set({ hour: 17, minute: 10 }).toUTC().toISO(),
            shiftedByDst: false,
          },
        ]),
      );
      expect(preview.body.occurrences[0].at).toMatch(/T23:00:00\.000Z$/);
      expect(preview.body.occurrences[0].local).toMatch(/T06:00:00\+07:00$/);
      expect(preview.body.speakers.map((item: Body) => item.id)).toEqual(expect.arrayContaining([speakerHere, speakerAlsoHere, lateSpeaker]));
      expect(preview.body.speakers.every((item: Body) => item.villageId === loa.places.village.id)).toBe(true);
    });

    it('lists per-speaker overlaps with other active schedules whose programs intersect, and none once they are paused', async () => {
      const solo = await speaker(loa.places.neighbourVillage.id, 'Cụm loa riêng');
      const { body: mine } = await create(loa.people.editor, {
        title: 'Sáng',
        targets: { speakerIds: [speakerHere, solo] },
        rrule: 'FREQ=DAILY;BYHOUR=6;BYMINUTE=0',
      });
      const { body: theirs } = await create(loa.people.editor, {
        title: 'Tin xen',
        bulletinIds: [news],
        targets: { villageIds: [loa.places.village.id] },
        rrule: 'FREQ=DAILY;BYHOUR=6;BYMINUTE=5',
        priority: 'priority',
      });
      // Ends at 06:00 exactly when "Sáng" starts: touching is not overlapping.
      await create(loa.people.editor, { title: 'Trước', bulletinIds: [news], targets: { speakerIds: [speakerHere] }, rrule: 'FREQ=DAILY;BYHOUR=5;BYMINUTE=58' });
      const from = tomorrow();
      const path = `/api/schedules/${mine.id}/occurrences?from=${encodeURIComponent(from.toISO()!)}&to=${encodeURIComponent(from.plus({ days: 2 }).toISO()!)}`;
      const preview = await call<Body>(loa.people.approver, 'GET', path);
      expect(preview.status).toBe(200);
      const ours = preview.body.overlaps.filter((overlap: Body) => overlap.otherScheduleId === theirs.id);
      expect(ours).toEqual(
        [0, 1].map((offset) => ({
          speakerId: speakerHere,
          speakerName: expect.any(String),
          villageId: loa.places.village.id,
          at: from.plus({ days: offset }).set({ hour: 6 }).toUTC().toISO(),
          local: from.plus({ days: offset }).set({ hour: 6 }).toISO({ suppressMilliseconds: true }),
          otherScheduleId: theirs.id,
          otherTitle: 'Tin xen',
          otherPriority: 'priority',
          otherAt: from.plus({ days: offset }).set({ hour: 6, minute: 5 }).toUTC().toISO(),
          otherLocal: from.plus({ days: offset }).set({ hour: 6, minute: 5 }).toISO({ suppressMilliseconds: true }),
          overlapSeconds: 120,
        })),
      );
      expect(preview.body.overlaps.some((overlap: Body) => overlap.speakerId === solo)).toBe(false);
      expect(preview.body.overlaps.some((overlap: Body) => overlap.otherTitle === 'Trước')).toBe(false);

      expect((await call(loa.people.editor, 'POST', `/api/schedules/${theirs.id}/pause`)).status).toBe(200);
      const afterPause = await call<Body>(loa.people.approver, 'GET', path);
      expect(afterPause.body.overlaps.filter((overlap: Body) => overlap.otherScheduleId === theirs.id)).toEqual([]);
    });

    it('follows the schedule zone across a DST change', async () => {
      const { body: schedule } = await create(loa.people.editor, { timezone: 'Europe/London', rrule: 'FREQ=DAILY;BYHOUR=1;BYMINUTE=30;BYSECOND=0' });
      const preview = await call<Body>(loa.people.editor, 'GET', `/api/schedules/${schedule.id}/occurrences?from=2027-03-27T00:00:00Z&to=2027-03-30T00:00:00Z`);
      expect(preview.body.occurrences.map((item: Body) => [item.at, item.local, item.shiftedByDst])).toEqual([
        ['2027-03-27T01:30:00.000Z', '2027-03-27T01:30:00+00:00', false],
        ['2027-03-28T01:30:00.000Z', '2027-03-28T02:30:00+01:00', true],
        ['2027-03-29T00:30:00.000Z', '2027-03-29T01:30:00+01:00', false],
      ]);
    });

    it('refuses a window that is backwards or too long, and is scoped like the schedule', async () => {
      const { body: schedule } = await create(loa.people.editor);
      const backwards = await call<Body>(loa.people.editor, 'GET', `/api/schedules/${schedule.id}/occurrences?from=2027-01-02T00:00:00Z&to=2027-01-01T00:00:00Z`);
      expect(backwards.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'to must be after from' });
      const long = await call<Body>(loa.people.editor, 'GET', `/api/schedules/${schedule.id}/occurrences?from=2027-01-01T00:00:00Z&to=2027-03-01T00:00:00Z`);
      expect(long.body.message).toMatch(/at most 31 days/);
      const garbage = await call<Body>(loa.people.editor, 'GET', `/api/schedules/${schedule.id}/occurrences?from=yesterday`);
      expect(garbage.body.message).toBe('from must be an ISO 8601 instant');
      expect((await call(loa.people.otherEditor, 'GET', `/api/schedules/${schedule.id}/occurrences`)).status).toBe(404);
    });
  });

  describe('the same schedule submitted twice (a double tap on "Lưu")', () => {
    const twin = (extra: Body = {}) =>
      body({ title: 'Lịch bấm hai lần', targets: { villageIds: [loa.places.village.id], speakerIds: [speakerHere, speakerAlsoHere] }, chime: true, ...extra });

    async function activeTwins(title: string): Promise<string[]> {
      const rows = (await loa.dataSource.query(`SELECT id FROM schedules WHERE commune_id = $1 AND title = $2 AND status = 'active'`, [
        loa.places.commune.id,
        title,
      ])) as Array<{ id: string }>;
      return rows.map((row) => row.id);
    }

    it('answers 409 naming the schedule that exists, whatever the order of the targets, and saves nothing', async () => {
      const first = await call<Body>(loa.people.editor, 'POST', '/api/schedules', twin());
      expect(first.status).toBe(201);
      const again = await call<Body>(
        loa.people.admin,
        'POST',
        '/api/schedules',
        twin({ targets: { speakerIds: [speakerAlsoHere, speakerHere], villageIds: [loa.places.village.id] } }),
      );
      expect(again.status).toBe(409);
      expect(again.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        scheduleId: first.body.id,
        message: expect.stringMatching(new RegExp(`already active as "Lịch bấm hai lần" \\(${first.body.id}\\).*nothing was saved`)),
      });
      expect(await activeTwins('Lịch bấm hai lần')).toEqual([first.body.id]);
      // Any difference in content is another schedule.
      const otherOrder = await call<Body>(loa.people.editor, 'POST', '/api/schedules', twin({ bulletinIds: [news, morning] }));
      expect(otherOrder.status).toBe(201);
      expect((await call<Body>(loa.people.editor, 'POST', '/api/schedules', twin({ chime: false }))).status).toBe(201);
    });

    it('lets exactly one of many identical requests racing each other through', async () => {
      const content = twin({ title: 'Lịch gửi cùng lúc', rrule: 'FREQ=DAILY;BYHOUR=17;BYMINUTE=30' });
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, index) => call<Body>(index % 2 ? loa.people.admin : loa.people.editor, 'POST', '/api/schedules', content)),
      );
      const created = answers.filter((answer) => answer.status === 201);
      expect(created).toHaveLength(1);
      const refused = answers.filter((answer) => answer.status === 409);
      expect(refused).toHaveLength(5);
      for (const answer of refused) expect(answer.body.scheduleId).toBe(created[0].body.id);
      expect(await activeTwins('Lịch gửi cùng lúc')).toEqual([created[0].body.id]);
    });

    it('saves each of several edits of the bulletins racing each other as its own program version, or answers 409', async () => {
      const created = await call<Body>(loa.people.editor, 'POST', '/api/schedules', twin({ title: 'Lịch sửa cùng lúc', rrule: 'FREQ=DAILY;BYHOUR=18;BYMINUTE=15' }));
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const programs = [[news], [morning], [news, morning, news], [morning, news, morning]];
      const answers = await Promise.all(programs.map((bulletinIds) => call<Body>(loa.people.editor, 'PATCH', `/api/schedules/${id}`, { bulletinIds })));
      const saved = answers.filter((answer) => answer.status === 200);
      const refused = answers.filter((answer) => answer.status === 409);
      expect(saved.length + refused.length).toBe(programs.length);
      expect(saved.length).toBeGreaterThanOrEqual(1);
      for (const answer of refused) expect(answer.body.message).toMatch(/at the same moment; nothing was saved/);
      const versions = (await loa.dataSource.query('SELECT DISTINCT version FROM schedule_bulletins WHERE schedule_id = $1 ORDER BY version', [id])) as Array<{
        version: number;
      }>;
      expect(versions.map((row) => row.version)).toEqual(Array.from({ length: 1 + saved.length }, (_, index) => index + 1));
      const now = (await call<Body>(loa.people.editor, 'GET', `/api/schedules/${id}`)).body;
      expect(now.programVersion).toBe(1 + saved.length);
      expect(saved.map((answer) => answer.body.bulletinIds)).toContainEqual(now.bulletinIds);
    });

    it('compares with active schedules only: a paused twin may be recreated, but not resumed beside it', async () => {
      const content = twin({ title: 'Lịch tạm dừng' });
      const original = await call<Body>(loa.people.editor, 'POST', '/api/schedules', content);
      expect((await call(loa.people.editor, 'POST', `/api/schedules/${original.body.id}/pause`)).status).toBe(200);
      const successor = await call<Body>(loa.people.editor, 'POST', '/api/schedules', content);
      expect(successor.status).toBe(201);
      const resumed = await call<Body>(loa.people.editor, 'POST', `/api/schedules/${original.body.id}/resume`);
      expect(resumed.status).toBe(409);
      expect(resumed.body.scheduleId).toBe(successor.body.id);
      expect((await call<Body>(loa.people.editor, 'GET', `/api/schedules/${original.body.id}`)).body).toMatchObject({ status: 'paused', revision: 2 });
    });

    it('refuses an edit that makes a schedule the twin of another, leaving it as it was', async () => {
      const { body: one } = await call<Body>(loa.people.editor, 'POST', '/api/schedules', twin({ title: 'Lịch một' }));
      const { body: two } = await call<Body>(loa.people.editor, 'POST', '/api/schedules', twin({ title: 'Lịch hai' }));
      const edit = await call<Body>(loa.people.editor, 'PATCH', `/api/schedules/${two.id}`, { title: 'Lịch một' });
      expect(edit.status).toBe(409);
      expect(edit.body.scheduleId).toBe(one.id);
      expect((await call<Body>(loa.people.editor, 'GET', `/api/schedules/${two.id}`)).body).toMatchObject({ title: 'Lịch hai', revision: 1 });
    });
  });

  describe('pause, resume and cancel', () => {
    it('moves active ⇄ paused, cancels for good, and answers 409 for what the state does not allow', async () => {
      const { body: schedule } = await create(loa.people.editor);
      const path = (action: string) => `/api/schedules/${schedule.id}/${action}`;
      expect((await call<Body>(loa.people.editor, 'POST', path('pause'))).body).toMatchObject({ status: 'paused', revision: 2 });
      const twice = await call<Body>(loa.people.editor, 'POST', path('pause'));
      expect(twice.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'A schedule that is paused cannot pause; only a schedule that is active can' });
      expect((await call<Body>(loa.people.admin, 'POST', path('resume'))).body).toMatchObject({ status: 'active', revision: 3 });
      expect((await call<Body>(loa.people.editor, 'POST', path('resume'))).status).toBe(409);
      expect((await call<Body>(loa.people.editor, 'POST', path('cancel'))).body).toMatchObject({ status: 'cancelled', bulletinIds: [morning, news] });
      for (const action of ['pause', 'resume', 'cancel']) {
        const refused = await call<Body>(loa.people.editor, 'POST', path(action));
        expect(refused.status).toBe(409);
        expect(refused.body.message).toMatch(/^A schedule that is cancelled cannot/);
      }
      const edit = await call<Body>(loa.people.editor, 'PATCH', `/api/schedules/${schedule.id}`, { title: 'Sửa' });
      expect(edit.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'A cancelled schedule cannot be changed; create a new one' });
    });

    it('is for editors and admins of the commune', async () => {
      const { body: schedule } = await create(loa.people.editor);
      expect((await call(loa.people.approver, 'POST', `/api/schedules/${schedule.id}/pause`)).status).toBe(403);
      expect((await call(loa.people.viewer, 'POST', `/api/schedules/${schedule.id}/cancel`)).status).toBe(403);
      expect((await call(loa.people.otherEditor, 'POST', `/api/schedules/${schedule.id}/pause`)).status).toBe(404);
      expect((await call<Body>(loa.people.approver, 'GET', `/api/schedules/${schedule.id}`)).body.status).toBe('active');
    });
  });
});
