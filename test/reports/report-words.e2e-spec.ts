import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DateTime } from 'luxon';
import { AirtimeLedger } from '../../src/airtime/airtime-ledger';
import { call } from '../support/api';
import { authHeader, Session } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';
import { bulletin, expectedTotals, insertPlaybacks, schedule, SeededPlayback, topic, ZONE } from './report-fixtures';

const run = promisify(execFile);
const DAY = 'from=2027-01-10&to=2027-01-10';

async function download(session: Session, path: string): Promise<string> {
  const response = await fetch(`${session.url}${path}`, { headers: authHeader(session) });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer()).toString('utf8');
}

/**
 * One morning, 10 January 2027, 06:00 Vietnam time, a 5-minute program of one topic. Thôn Phú Mỹ: three played (the
 * operator reported "Mất điện" on one), one failed, one missed. Thôn Tân Phong: one played, one stopped by an
 * official, one pre-empted by an emergency.
 */
describe('Reports say what they are', () => {
  let loa: TestApp;
  let scratch: string;
  let topicName: string;
  let playbacks: SeededPlayback[];
  const morning = { id: '', programMs: 300_000 };

  beforeAll(async () => {
    loa = await startTestApp();
    scratch = await mkdtemp(join(tmpdir(), 'loa-report-words-'));
    const communeId = loa.places.commune.id;
    topicName = `Phòng chống thiên tai ${randomUUID().slice(0, 8)}`;
    const topicId = await topic(loa.dataSource, topicName);
    const bulletinId = await bulletin(loa.dataSource, communeId, topicId, 'Bản tin phòng chống bão', 300_000);
    morning.id = await schedule(loa.dataSource, communeId, 'Bản tin sáng', 'normal', [bulletinId], 300_000);
    const speakers: Array<{ id: string; villageId: string }> = [];
    for (const villageId of [loa.places.village.id, loa.places.neighbourVillage.id]) {
      const [row] = await loa.dataSource.query(`INSERT INTO speakers (village_id, name, driver) VALUES ($1, 'Cụm loa chợ', 'manual') RETURNING id`, [villageId]);
      speakers.push({ id: row.id, villageId });
    }
    const outcomes: Array<[number, string, string | null, string | null]> = [
      [0, 'played', null, null],
      [0, 'played', null, null],
      [0, 'played', null, 'power_cut'],
      [0, 'failed', 'unreachable', null],
      [0, 'missed', 'late', null],
      [1, 'played', null, null],
      [1, 'preempted', 'broadcast_stopped', null],
      [1, 'preempted', 'preempted_by_emergency', null],
    ];
    const six = DateTime.fromISO('2027-01-10T06:00', { zone: ZONE });
    playbacks = outcomes.map(([speaker, status, reason, problem], index) => ({
      id: randomUUID(),
      scheduleId: morning.id,
      speakerId: speakers[speaker].id,
      villageId: speakers[speaker].villageId,
      priority: 'normal',
      scheduledAt: six.plus({ minutes: index * 10 }).toJSDate(),
      localDay: '2027-01-10',
      status,
      reason,
      problem,
    }));
    await insertPlaybacks(loa.dataSource, communeId, playbacks);
    await loa.app.get(AirtimeLedger).append(
      playbacks
        .filter((playback) => playback.status === 'played')
        .map((playback) => ({
          communeId,
          villageId: playback.villageId,
          speakerId: playback.speakerId,
          playbackId: playback.id,
          event: 'finished',
          occurredAt: playback.scheduledAt,
          audioSha256: null,
          scheduledAt: playback.scheduledAt,
          actualAt: playback.scheduledAt,
          onAirMs: 300_000,
          evidenceLevel: 'device_reported',
          evidence: null,
        })),
    );
  });

  afterAll(async () => {
    await loa?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('counts compliance over what was due: stopped and pre-empted apart, a play with a problem report not effective', async () => {
    const answer: any = await call(loa.people.approver, 'GET', `/api/reports/summary?${DAY}`);
    expect(answer.status).toBe(200);
    const village = (id: string) => answer.body.villages.find((row: any) => row.villageId === id);
    // Thôn Phú Mỹ: 2 effective of 5 due (2 played, 1 played with a problem, 1 failed, 1 missed).
    expect(village(loa.places.village.id)).toMatchObject({ played: 2, playedWithProblem: 1, failed: 1, missed: 1, preempted: 0, compliance: 0.4 });
    // Thôn Tân Phong: 1 of 1 due; the stop and the pre-emption are counted apart, not as failures.
    expect(village(loa.places.neighbourVillage.id)).toMatchObject({ played: 1, playedWithProblem: 0, failed: 0, preempted: 2, compliance: 1 });
    // The commune: 3 effective of 6 due; minutes on air for the 3 effective plays only.
    expect(answer.body.totals).toEqual({
      playbacks: 8,
      planned: 8,
      played: 3,
      playedWithProblem: 1,
      failed: 1,
      missed: 1,
      preempted: 2,
      cancelled: 0,
      pending: 0,
      compliance: 0.5,
      onAirMs: 900_000,
    });
    expect(answer.body.totals).toEqual(expectedTotals(playbacks, { morning, night: morning }));
    expect(answer.body.problems).toContainEqual({ status: 'played_with_problem', reason: 'power_cut', count: 1 });

    // The raw playbacks (a speaker filter) say the same as the daily rollup.
    const speakerIds = [...new Set(playbacks.map((playback) => playback.speakerId))].join(',');
    const raw: any = await call(loa.people.approver, 'GET', `/api/reports/summary?${DAY}&speakerIds=${speakerIds}`);
    expect(raw.body.totals).toEqual(answer.body.totals);
    expect(raw.body.villages).toEqual(answer.body.villages);
    expect(raw.body.problems).toEqual(answer.body.problems);
  });

  it('writes CSV numbers and dates the Vietnamese way, and shows a play with a problem report as such', async () => {
    const summary = await download(loa.people.approver, `/api/reports/summary?${DAY}&format=csv`);
    expect(summary).toContain('Tổng cộng,8,3,1,1,1,2,0,0,"50,0%","15,0"\r\n');
    expect(summary).toContain('Thôn Phú Mỹ,5,2,1,1,1,0,0,0,"40,0%","10,0"\r\n');
    expect(summary).toContain('Thôn Tân Phong,3,1,0,0,0,2,0,0,"100,0%","5,0"\r\n');
    expect(summary).toContain('"Đã phát, có sự cố",Mất điện,1\r\n');
    expect(summary).not.toMatch(/\d\.\d%/);

    const log = await download(loa.people.approver, `/api/reports/as-run?${DAY}&format=csv`);
    const problemLine = log.split('\r\n').find((line) => line.endsWith(playbacks[2].id))!;
    expect(problemLine).toMatch(/^10\/01\/2027,10\/01\/2027 06:20,Thôn Phú Mỹ,/);
    expect(problemLine).toContain('Đã phát, có sự cố');
    expect(problemLine).toContain('"5,0"');
    expect(log).not.toMatch(/2027-01-10/);
  });

  it("names a filtered report's commune, villages, topics, priorities and period on screen data, CSV, XLSX and PDF", async () => {
    const topicId = (await loa.dataSource.query(`SELECT id FROM topics WHERE name = $1`, [topicName]))[0].id;
    const filtered = `${DAY}&villageIds=${loa.places.neighbourVillage.id}&topicIds=${topicId}`;
    const lines = [
      `Đơn vị: ${loa.places.commune.name}`,
      'Kỳ báo cáo: từ ngày 10/01/2027 đến ngày 10/01/2027 (giờ Việt Nam)',
      'Thôn: Thôn Tân Phong',
      `Chủ đề: ${topicName}`,
      'Mức ưu tiên: tất cả các mức',
    ];

    const json: any = await call(loa.people.approver, 'GET', `/api/reports/summary?${filtered}`);
    expect(json.body.filterNames).toEqual({ villages: ['Thôn Tân Phong'], topics: [topicName], speakers: [] });
    expect(json.body.filterLines).toEqual(lines.slice(2));

    const csv = await download(loa.people.approver, `/api/reports/summary?${filtered}&format=csv`);
    for (const line of lines) expect(csv).toContain(`${line}\r\n`);
    const logCsv = await download(loa.people.approver, `/api/reports/as-run?${filtered}&priorities=normal&format=csv`);
    for (const line of [...lines.slice(0, 4), 'Mức ưu tiên: Thông thường']) expect(logCsv).toContain(`${line}\r\n`);

    const response = await fetch(`${loa.url}/api/reports/summary?${filtered}&format=xlsx`, { headers: authHeader(loa.people.approver) });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.arrayBuffer()) as ArrayBuffer);
    for (const name of ['Tổng hợp', 'Nhật ký phát']) {
      const sheet = workbook.getWorksheet(name)!;
      const firstCells = Array.from({ length: 10 }, (_, index) => sheet.getRow(index + 1).getCell(1).value);
      for (const line of lines) expect(firstCells).toContain(line);
    }
    const log = workbook.getWorksheet('Nhật ký phát')!;
    const ySplit = (log.views[0] as { ySplit: number }).ySplit;
    // Real dates, shown the Vietnamese way: the stop at 07:00 in Thôn Tân Phong (its second line).
    expect(log.getRow(ySplit + 2).getCell(2).value).toEqual(new Date('2027-01-10T07:00:00Z'));
    expect(log.getRow(ySplit + 2).getCell(2).numFmt).toBe('dd/mm/yyyy hh:mm');

    const everything = await download(loa.people.approver, `/api/reports/summary?${DAY}&format=csv`);
    expect(everything).toContain('Thôn: tất cả các thôn\r\n');
    expect(everything).toContain('Chủ đề: tất cả các chủ đề\r\n');

    const text = await pdfText(`/api/reports/summary?${filtered}&format=pdf`);
    expect(text).toContain(`Kỳ báo cáo: từ ngày 10/01/2027 đến ngày 10/01/2027`);
    for (const line of lines.slice(2)) expect(text).toContain(line);
  });

  it('names the zone in words and shows the chain head as a short fingerprint, in full in the annex', async () => {
    const json: any = await call(loa.people.approver, 'GET', `/api/reports/summary?${DAY}`);
    const hash: string = json.body.checkpoint.headHash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const text = await pdfText(`/api/reports/summary?${DAY}&format=pdf`);
    expect(text).toContain('giờ Việt Nam');
    expect(text).not.toContain('Asia/Ho_Chi_Minh');
    // pdftotext may break the sentence anywhere between words.
    const fingerprint = [hash.slice(0, 4), hash.slice(4, 8), hash.slice(8, 12), hash.slice(12, 16)].join('\\s+');
    expect(text).toMatch(new RegExp(`dấu\\s+vân\\s+tay\\s+${fingerprint}\\s`));
    const annex = text.indexOf('PHỤ LỤC');
    expect(annex).toBeGreaterThan(text.indexOf('TM. ỦY BAN NHÂN DÂN'));
    expect(text.indexOf(hash)).toBeGreaterThan(annex);
    expect(text.split(hash)).toHaveLength(2);
  });

  async function pdfText(path: string): Promise<string> {
    const response = await fetch(`${loa.url}${path}`, { headers: authHeader(loa.people.approver) });
    expect(response.status).toBe(200);
    const file = join(scratch, `${randomUUID()}.pdf`);
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
  }
});
