import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { AirtimeLedger } from '../../src/airtime/airtime-ledger';
import { call } from '../support/api';
import { authHeader, Session } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';
import { expectedTotals, insertPlaybacks, ReportWorld, SeededPlayback, seedReportWorld, ZONE } from './report-fixtures';

const run = promisify(execFile);
const NOVEMBER = 'from=2026-11-01&to=2026-11-30';

async function download(session: Session, path: string): Promise<{ status: number; type: string | null; body: Buffer }> {
  const response = await fetch(`${session.url}${path}`, { headers: authHeader(session) });
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
}

describe('Reports for leadership', () => {
  let loa: TestApp;
  let world: ReportWorld;
  let scratch: string;
  /** The seeded playbacks as they stand after the test's own changes. */
  let playbacks: SeededPlayback[];
  let recordsAppended = 0;
  const inNovember = () => playbacks.filter((playback) => playback.localDay >= '2026-11-01' && playback.localDay <= '2026-11-30');

  beforeAll(async () => {
    loa = await startTestApp();
    scratch = await mkdtemp(join(tmpdir(), 'loa-reports-'));
    world = await seedReportWorld(loa.dataSource, loa.places);
    playbacks = [...world.playbacks];

    // The worker's path, through the rollup's update and delete triggers: queued, then dispatched and played, one deleted.
    const late: SeededPlayback[] = Array.from({ length: 5 }, () => ({
      id: randomUUID(),
      scheduleId: world.morning.id,
      speakerId: world.speakers[0].id,
      villageId: world.speakers[0].villageId,
      priority: 'normal',
      scheduledAt: new Date('2026-11-29T23:10:00Z'),
      localDay: '2026-11-30',
      status: 'queued',
      reason: null,
    }));
    late.forEach((playback, index) => (playback.scheduledAt = new Date(Date.parse('2026-11-29T23:10:00Z') + index * 60_000)));
    await insertPlaybacks(loa.dataSource, loa.places.commune.id, late);
    const [first, second, third, , gone] = late;
    await loa.dataSource.query(`UPDATE playbacks SET status = 'dispatching' WHERE id = ANY($1)`, [[first.id, second.id, third.id]]);
    await loa.dataSource.query(
      `UPDATE playbacks SET status = 'played', started_at = scheduled_at, finished_at = scheduled_at + interval '5 minutes' WHERE id = ANY($1)`,
      [[first.id, second.id]],
    );
    await loa.dataSource.query(`UPDATE playbacks SET lateness_ms = 12 WHERE id = $1`, [first.id]);
    await loa.dataSource.query(`DELETE FROM playbacks WHERE id = $1`, [gone.id]);
    first.status = 'played';
    second.status = 'played';
    third.status = 'dispatching';
    playbacks.push(first, second, third, late[3]);

    // The proof: a "finished" airtime record for every played playback of the commune.
    const played = playbacks.filter((playback) => playback.status === 'played');
    await loa.app.get(AirtimeLedger).append(
      played.map((playback) => ({
        communeId: loa.places.commune.id,
        villageId: playback.villageId,
        speakerId: playback.speakerId,
        playbackId: playback.id,
        event: 'finished',
        occurredAt: playback.scheduledAt,
        audioSha256: null,
        scheduledAt: playback.scheduledAt,
        actualAt: playback.scheduledAt,
        onAirMs: 60_000,
        evidenceLevel: 'device_reported',
        evidence: null,
      })),
    );
    recordsAppended = played.length;
  });

  afterAll(async () => {
    await loa?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('totals a month exactly as the raw playbacks and airtime records, on local calendar days', async () => {
    const answer: any = await call(loa.people.approver, 'GET', `/api/reports/summary?${NOVEMBER}&groupBy=day`);
    expect(answer.status).toBe(200);
    const expected = expectedTotals(inNovember(), world);
    expect(answer.body.totals).toEqual(expected);

    // Every local day holds exactly its playbacks: 00:15 and 23:30 local are on their own day, not UTC's.
    const periods = answer.body.periods as Array<{ period: string; playbacks: number }>;
    expect(periods).toHaveLength(30);
    for (const row of periods) expect(row.playbacks).toBe(inNovember().filter((playback) => playback.localDay === row.period).length);

    const records = await loa.dataSource.query(
      `SELECT count(DISTINCT r.playback_id)::int AS played FROM airtime_records r
       WHERE r.commune_id = $1 AND r.event = 'finished' AND (r.scheduled_at AT TIME ZONE $2)::date BETWEEN '2026-11-01' AND '2026-11-30'`,
      [loa.places.commune.id, ZONE],
    );
    expect(records[0].played).toBe(expected.played);
    expect(answer.body.checkpoint).toMatchObject({ communeId: loa.places.commune.id, length: recordsAppended });
    expect(answer.body.checkpoint.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('splits minutes by topic from each bulletin and gives compliance and reasons per village', async () => {
    const answer = await call(loa.people.approver, 'GET', `/api/reports/summary?${NOVEMBER}&groupBy=month`);
    const body = answer.body as any;
    const playedIn = (villageId: string, scheduleId: string) =>
      inNovember().filter((playback) => playback.villageId === villageId && playback.scheduleId === scheduleId && playback.status === 'played').length;
    const village = loa.places.village.id;
    const digital = body.villageTopics.find((cell: any) => cell.villageId === village && cell.topicId === world.topics.digital);
    const project06 = body.villageTopics.find((cell: any) => cell.villageId === village && cell.topicId === world.topics.project06);
    expect(digital).toMatchObject({ broadcasts: playedIn(village, world.morning.id) + playedIn(village, world.night.id) });
    expect(digital.onAirMs).toBe((playedIn(village, world.morning.id) + playedIn(village, world.night.id)) * 180_000);
    expect(project06).toMatchObject({ broadcasts: playedIn(village, world.morning.id), onAirMs: playedIn(village, world.morning.id) * 120_000 });

    const villageRow = body.villages.find((row: any) => row.villageId === village);
    expect(villageRow).toMatchObject(
      expectedTotals(
        inNovember().filter((playback) => playback.villageId === village),
        world,
      ),
    );
    const missedLate = inNovember().filter((playback) => playback.status === 'missed').length;
    expect(body.problems).toContainEqual({ status: 'missed', reason: 'late', count: missedLate });
    expect(body.periods).toEqual([expect.objectContaining({ period: '2026-11', ...expectedTotals(inNovember(), world) })]);
  });

  it('gives the same numbers from raw playbacks (speaker filter) as from the rollup, and filters by priority', async () => {
    const speakerIds = world.speakers.map((speaker) => speaker.id).join(',');
    const raw = await call(loa.people.editor, 'GET', `/api/reports/summary?${NOVEMBER}&speakerIds=${speakerIds}`);
    const rollup = await call(loa.people.editor, 'GET', `/api/reports/summary?${NOVEMBER}`);
    expect(raw.body.totals).toEqual(rollup.body.totals);
    expect(raw.body.periods).toEqual(rollup.body.periods);
    expect(raw.body.villageTopics).toEqual(rollup.body.villageTopics);
    expect(raw.body.villages).toEqual(rollup.body.villages);
    expect(raw.body.problems).toEqual(rollup.body.problems);

    const emergency = await call(loa.people.editor, 'GET', `/api/reports/summary?${NOVEMBER}&priorities=emergency`);
    expect(emergency.body.totals).toEqual(
      expectedTotals(
        inNovember().filter((playback) => playback.priority === 'emergency'),
        world,
      ),
    );
  });

  it("pages the as-run log in scheduled order, every playback once, instants in the commune's zone", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await call(loa.people.approver, 'GET', `/api/reports/as-run?${NOVEMBER}&limit=70${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.rows.map((row: any) => row.playbackId));
      after = page.body.next;
    } while (after);
    expect(seen.sort()).toEqual(
      inNovember()
        .map((playback) => playback.id)
        .sort(),
    );

    const first: any = await call(loa.people.approver, 'GET', `/api/reports/as-run?${NOVEMBER}&limit=3`);
    expect(first.body.rows[0]).toMatchObject({ localDay: '2026-11-01', scheduledAt: '2026-11-01T00:15:00.000+07:00', scheduleTitle: 'Bản tin sáng' });
    expect(first.body.rows[0].bulletins).toBe('Bản tin chuyển đổi số + Bản tin Đề án 06');
  });

  it('streams the as-run CSV with a byte order mark, one line per playback', async () => {
    const file = await download(loa.people.approver, `/api/reports/as-run?${NOVEMBER}&format=csv`);
    expect(file.status).toBe(200);
    expect(file.type).toContain('text/csv');
    expect([...file.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = file.body.toString('utf8');
    for (const playback of inNovember()) expect(text).toContain(playback.id);
    expect(text).toContain('Thôn Phú Mỹ');
    expect(text).toContain('Bị ngắt bởi phát khẩn cấp');
    const lines = text.trimEnd().split('\r\n');
    expect(lines.filter((line) => /[0-9a-f-]{36}$/.test(line))).toHaveLength(inNovember().length);
  });

  it('exports an xlsx that parses back with the same totals, a frozen header and both sheets', async () => {
    const file = await download(loa.people.approver, `/api/reports/summary?${NOVEMBER}&format=xlsx&groupBy=week`);
    expect(file.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('Tổng hợp')!;
    const log = workbook.getWorksheet('Nhật ký phát')!;
    expect(summary).toBeDefined();
    expect(log).toBeDefined();

    const expected = expectedTotals(inNovember(), world);
    let totalRow: ExcelJS.Row | undefined;
    summary.eachRow((row) => {
      if (row.getCell(1).value === 'Tổng cộng') totalRow = row;
    });
    expect(totalRow).toBeDefined();
    const values = (totalRow!.values as ExcelJS.CellValue[]).slice(2);
    expect(values).toEqual([
      expected.planned,
      expected.played,
      expected.playedWithProblem,
      expected.failed,
      expected.missed,
      expected.preempted,
      expected.cancelled,
      expected.pending,
      expected.compliance,
      expected.onAirMs / 60_000,
    ]);
    expect(totalRow!.getCell(10).numFmt).toBe('0.0%');

    const header = log.views[0] as { state: string; ySplit: number };
    expect(header.state).toBe('frozen');
    expect(log.getRow(header.ySplit).getCell(1).value).toBe('Ngày');
    let lines = 0;
    let playedMinutes = 0;
    log.eachRow((row, number) => {
      if (number <= header.ySplit) return;
      lines++;
      playedMinutes += Number(row.getCell(11).value ?? 0);
    });
    expect(lines).toBe(inNovember().length);
    expect(playedMinutes).toBeCloseTo(expected.onAirMs / 60_000, 6);
    expect(log.getRow(header.ySplit + 1).getCell(2).value).toEqual(new Date('2026-11-01T00:15:00Z'));
  });

  it('prints a PDF administrative report whose text keeps its Vietnamese diacritics', async () => {
    const file = await download(loa.people.approver, `/api/reports/summary?${NOVEMBER}&format=pdf`);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    const path = join(scratch, 'report.pdf');
    await writeFile(path, file.body);
    const info = (await run('pdfinfo', [path])).stdout;
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    // The title page, the daily table of 30 rows and the other tables do not fit on one A4 page.
    expect(pages).toBeGreaterThanOrEqual(2);
    const text = (await run('pdftotext', ['-enc', 'UTF-8', path, '-'])).stdout;
    expect(text).toContain('BÁO CÁO KẾT QUẢ HOẠT ĐỘNG TRUYỀN THANH');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('từ ngày 01/11/2026 đến ngày 30/11/2026');
    expect(text).toContain(loa.places.commune.name.toLocaleUpperCase('vi'));
    expect(text).toContain('TM. ỦY BAN NHÂN DÂN');
    for (let page = 1; page <= pages; page++) expect(text).toContain(`Trang ${page}/${pages}`);
    const fonts = (await run('pdffonts', [path])).stdout;
    expect(fonts).toMatch(/DejaVuSerif\s.*\syes\s/);
  });

  it('limits an operator to their village in every report', async () => {
    const operator = loa.people.operator;
    const summary: any = await call(operator, 'GET', `/api/reports/summary?${NOVEMBER}`);
    expect(summary.status).toBe(200);
    expect(summary.body.villages.map((row: any) => row.villageId)).toEqual([loa.places.village.id]);
    expect(summary.body.totals).toEqual(
      expectedTotals(
        inNovember().filter((playback) => playback.villageId === loa.places.village.id),
        world,
      ),
    );

    const page: any = await call(operator, 'GET', `/api/reports/as-run?${NOVEMBER}&limit=5000`);
    expect(page.body.rows.length).toBeGreaterThan(0);
    expect(page.body.rows.every((row: any) => row.villageId === loa.places.village.id)).toBe(true);

    const csv = (await download(operator, `/api/reports/as-run?${NOVEMBER}&format=csv`)).body.toString('utf8');
    expect(csv).toContain('Thôn Phú Mỹ');
    expect(csv).not.toContain('Thôn Tân Phong');

    const neighbour = await call(operator, 'GET', `/api/reports/summary?${NOVEMBER}&villageIds=${loa.places.neighbourVillage.id}`);
    expect(neighbour.status).toBe(404);
    const otherCommune = await call(operator, 'GET', `/api/reports/summary?${NOVEMBER}&communeId=${loa.places.otherCommune.id}`);
    expect(otherCommune.status).toBe(404);
  });

  it('answers bad questions with a message naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['/api/reports/summary?from=2026-11-31&to=2026-12-01', 'from: 2026-11-31 is not a calendar day'],
      ['/api/reports/summary?from=2026-11-05&to=2026-11-01', 'to must not be before from'],
      ['/api/reports/summary?from=2025-01-01&to=2026-11-01', 'a report covers at most 366 days'],
      ['/api/reports/summary?from=2026-11-01', 'to must be a calendar day YYYY-MM-DD'],
      ['/api/reports/as-run?from=2026-11-01&to=2026-11-30&format=pdf', 'format must be one of json, csv, xlsx'],
      ['/api/reports/summary?from=2026-11-01&to=2026-11-30&statuses=aired', 'statuses must be among'],
    ];
    for (const [path, message] of cases) {
      const answer = await call(loa.people.approver, 'GET', path);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body.message)).toContain(message);
    }
    const admin = await call(loa.people.admin, 'GET', `/api/reports/summary?${NOVEMBER}`);
    expect(admin.status).toBe(400);
    expect(admin.body.message).toBe('choose the commune with communeId');
  });

  it('closes the cursor and frees its connection when the client goes away mid-file', async () => {
    // 89,280 lines (about 25 MB) in the other commune: many FETCHes, far more than the sockets and the client buffer.
    const other = loa.places.otherCommune.id;
    const [speaker] = await loa.dataSource.query(`INSERT INTO speakers (village_id, name, driver) VALUES ($1, 'Cụm loa xa', 'manual') RETURNING id`, [
      loa.places.otherVillage.id,
    ]);
    const [schedule] = await loa.dataSource.query(
      `INSERT INTO schedules (commune_id, title, status, rrule, timezone, priority, program_ms)
       VALUES ($1, 'Lịch dày', 'paused', 'DTSTART:20260101T060000\nRRULE:FREQ=MINUTELY', $2, 'normal', 60000) RETURNING id`,
      [other, ZONE],
    );
    await loa.dataSource.query(
      `INSERT INTO playbacks (schedule_id, speaker_id, village_id, commune_id, priority, scheduled_at, grace_until, status)
       SELECT $1, $2, $3, $4, 'normal', at, at, 'missed' FROM generate_series('2026-09-30T17:00:00Z'::timestamptz, '2026-10-31T16:59:30Z', interval '30 seconds') AS at`,
      [schedule.id, speaker.id, loa.places.otherVillage.id, other],
    );
    // A connection whose transaction holds the as-run cursor (its last statement declared or fetched it).
    const cursors = async () =>
      Number(
        (
          await loa.dataSource.query(
            `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle'
           AND (query LIKE 'DECLARE as_run %' OR query LIKE 'FETCH % FROM as_run')`,
          )
        )[0].count,
      );

    const abort = new AbortController();
    const response = await fetch(`${loa.url}/api/reports/as-run?communeId=${other}&from=2026-10-01&to=2026-10-31&format=csv`, {
      headers: authHeader(loa.people.admin),
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    let received = 0;
    while (received < 100_000) received += (await reader.read()).value?.byteLength ?? Infinity;
    expect(await cursors()).toBe(1);
    abort.abort();
    await reader.cancel().catch(() => undefined);
    for (let wait = 0; wait < 100 && (await cursors()) > 0; wait++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await cursors()).toBe(0);
  });

  it("regroups a commune's days when its zone changes", async () => {
    const day = `communeId=${loa.places.commune.id}&from=2026-11-05&to=2026-11-05`;
    // 23:30 on 4 November in Hanoi is 01:30 on 5 November in Tokyo: mark those so the two days cannot look alike.
    const lateEvening = playbacks.filter((playback) => playback.localDay === '2026-11-04' && playback.scheduleId === world.night.id);
    await loa.dataSource.query(`UPDATE playbacks SET status = 'cancelled' WHERE id = ANY($1)`, [lateEvening.map((playback) => playback.id)]);
    lateEvening.forEach((playback) => (playback.status = 'cancelled'));
    const inTokyo = playbacks.filter((playback) => DateTime.fromJSDate(playback.scheduledAt, { zone: 'Asia/Tokyo' }).toISODate() === '2026-11-05');
    const inHanoi = playbacks.filter((playback) => playback.localDay === '2026-11-05');
    expect(expectedTotals(inTokyo, world)).not.toEqual(expectedTotals(inHanoi, world));
    expect((await call(loa.people.admin, 'GET', `/api/reports/summary?${day}`)).body.totals).toEqual(expectedTotals(inHanoi, world));
    await loa.dataSource.query(`UPDATE communes SET timezone = 'Asia/Tokyo' WHERE id = $1`, [loa.places.commune.id]);
    try {
      expect((await call(loa.people.admin, 'GET', `/api/reports/summary?${day}`)).body.totals).toEqual(expectedTotals(inTokyo, world));
    } finally {
      await loa.dataSource.query(`UPDATE communes SET timezone = $2 WHERE id = $1`, [loa.places.commune.id, ZONE]);
    }
  });
});
