/**
 * `npm run bench:reports [-- --speakers 1000 --per-day 4 --days 365]`
 *
 * Issue 7's benchmark, on a scratch PostgreSQL database (real migrations, removed at the end, also on Ctrl+C):
 *  1. Seeds a year for N speakers × M playbacks a day in one commune (25 villages), with generate_series in SQL, through
 *     the real rollup triggers, and one airtime record per played playback (placeholder hashes: the reports read only
 *     the chain's head, so the chain need not verify here).
 *  2. One-month summary exactly as GET /api/reports/summary computes it (rollup read, programs, problems, aggregation),
 *     against a plain GROUP BY over the raw playbacks for the same month. Median of 5 after a warm-up.
 *  3. One-month as-run CSV streamed through an HTTP server to a client that reads it, with the process's peak RSS.
 *  4. What the rollup trigger costs a batched dispatch UPDATE of 10,000 playbacks and a single-row UPDATE.
 * The last line printed is the JSON result.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Response } from 'express';
import { Client } from 'pg';
import { AppConfig } from '../src/config/app-config';
import { asRunCsv } from '../src/reports/as-run-csv';
import { streamText } from '../src/reports/report-response';
import { ReportRequest } from '../src/reports/report-request';
import { programsOf, summarise } from '../src/reports/summary-aggregation';
import { SummarySource } from '../src/reports/summary-source';
import { PlaybackRepository } from '../src/playbacks/playback-repository';
import { createScratchDatabase, openMigrated, runTag, scratchDatabaseUrl, Undo, benchServerUrl } from './support/scratch';

const GOAL_SUMMARY_MS = 150;
const ZONE = 'Asia/Ho_Chi_Minh';
const VILLAGES = 25;
const HOURS = [6, 11, 17, 20];
const MONTH = { from: '2026-11-01', to: '2026-11-30' };
const BATCH_ROWS = 10_000;

function options() {
  const { values } = parseArgs({
    options: {
      speakers: { type: 'string', default: '1000' },
      'per-day': { type: 'string', default: '4' },
      days: { type: 'string', default: '365' },
    },
    strict: true,
    allowPositionals: false,
  });
  const int = (name: string, raw: string | undefined, min: number, max: number): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${raw}`);
    return value;
  };
  return {
    speakers: int('speakers', values.speakers, VILLAGES, 100_000),
    perDay: int('per-day', values['per-day'], 1, HOURS.length),
    days: int('days', values.days, 31, 366),
  };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

async function timed(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function seed(sql: Client, opts: ReturnType<typeof options>): Promise<{ communeId: string; playbacks: number; records: number }> {
  const tag = randomUUID().slice(0, 6);
  const communeId = randomUUID();
  await sql.query(`INSERT INTO communes (id, name, timezone) VALUES ($1, 'Xã Bench', $2)`, [communeId, ZONE]);
  await sql.query(`INSERT INTO villages (commune_id, name) SELECT $1, 'Thôn ' || g FROM generate_series(1, $2) g`, [communeId, VILLAGES]);
  await sql.query(
    `INSERT INTO speakers (village_id, name, driver)
     SELECT v.id, 'Cụm loa ' || g, 'manual' FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM villages WHERE commune_id = $1) v
       JOIN generate_series(1, $2) g ON g % $3 = v.n - 1`,
    [communeId, opts.speakers, VILLAGES],
  );
  const topics: string[] = [];
  for (const name of ['Chuyển đổi số', 'Đề án 06', 'Thanh toán không tiền mặt', 'Bình dân học vụ số']) {
    topics.push((await sql.query(`INSERT INTO topics (name) VALUES ($1) RETURNING id`, [`${name} ${tag}`])).rows[0].id);
  }
  const bulletins: string[] = [];
  for (let index = 0; index < 8; index++) {
    const sha = randomUUID().replace(/-/g, '').padEnd(64, '0');
    bulletins.push(
      (
        await sql.query(
          `INSERT INTO bulletins (title, commune_id, topic_id, status, original_sha256, original_filename, original_bytes, original_format,
             original_codec, original_duration_ms, original_sample_rate, original_channels, original_peak_dbfs, rendition_sha256, duration_ms)
           VALUES ($1, $2, $3, 'approved', $4, 'x.mp3', 1, 'mp3', 'mp3', $5, 44100, 1, -3, $4, $5) RETURNING id`,
          [`Bản tin ${index + 1}`, communeId, topics[index % topics.length], sha, 60_000 + index * 30_000],
        )
      ).rows[0].id,
    );
  }
  const schedules: string[] = [];
  for (const [index, hour] of HOURS.slice(0, opts.perDay).entries()) {
    const id = (
      await sql.query(
        `INSERT INTO schedules (commune_id, title, status, rrule, timezone, priority, program_ms)
         VALUES ($1, $2, 'paused', $3, $4, 'normal', 300000) RETURNING id`,
        [communeId, `Bản tin ${hour} giờ`, `DTSTART:20250101T${String(hour).padStart(2, '0')}0000\nRRULE:FREQ=DAILY`, ZONE],
      )
    ).rows[0].id as string;
    await sql.query(`INSERT INTO schedule_bulletins (schedule_id, version, position, bulletin_id) VALUES ($1, 1, 0, $2), ($1, 1, 1, $3)`, [
      id,
      bulletins[index * 2],
      bulletins[index * 2 + 1],
    ]);
    schedules.push(id);
  }

  // A month per statement: the rollup trigger folds each statement's rows in one pass. Outcomes are a hash of
  // speaker and instant: 90 % played, then missed, failed, pre-empted, cancelled.
  const last = new Date(`${MONTH.to}T00:00:00Z`);
  const first = new Date(last.getTime() - (opts.days - 1) * 86_400_000);
  for (let start = first; start <= last; start = new Date(start.getTime() + 31 * 86_400_000)) {
    const end = new Date(Math.min(last.getTime(), start.getTime() + 30 * 86_400_000));
    await sql.query(
      `INSERT INTO playbacks (schedule_id, speaker_id, village_id, commune_id, priority, scheduled_at, grace_until, status, failure_code,
         started_at, finished_at, evidence_level)
       SELECT slot.schedule_id, s.id, s.village_id, $1, 'normal', t.at, t.at + interval '10 minutes', o.status, o.reason,
         CASE WHEN o.status IN ('played', 'preempted') THEN t.at + interval '40 milliseconds' END,
         CASE WHEN o.status IN ('played', 'preempted') THEN t.at + interval '300 seconds' END,
         CASE WHEN o.status IN ('played', 'preempted') THEN 'device_reported' END
       FROM generate_series($2::date, $3::date, interval '1 day') AS d(day)
       CROSS JOIN unnest($4::uuid[], $5::int[]) AS slot(schedule_id, hour)
       CROSS JOIN LATERAL (SELECT (d.day + slot.hour * interval '1 hour') AT TIME ZONE $6 AS at) t
       CROSS JOIN speakers s JOIN villages v ON v.id = s.village_id AND v.commune_id = $1
       CROSS JOIN LATERAL (SELECT abs(hashtext(s.id::text || t.at::text)) % 100 AS r) x
       CROSS JOIN LATERAL (SELECT CASE WHEN x.r < 90 THEN 'played' WHEN x.r < 94 THEN 'missed' WHEN x.r < 97 THEN 'failed'
                                       WHEN x.r < 99 THEN 'preempted' ELSE 'cancelled' END AS status,
                                  CASE WHEN x.r < 90 THEN NULL WHEN x.r < 94 THEN 'late' WHEN x.r < 97 THEN 'speaker_busy'
                                       WHEN x.r < 99 THEN 'preempted_by_emergency' ELSE 'schedule_cancelled' END AS reason) o`,
      [communeId, start.toISOString().slice(0, 10), end.toISOString().slice(0, 10), schedules, HOURS.slice(0, opts.perDay), ZONE],
    );
  }
  await sql.query(
    `INSERT INTO airtime_records (commune_id, seq, recorded_at, event, evidence_level, occurred_at, village_id, speaker_id, playback_id,
       scheduled_at, actual_at, on_air_ms, prev_hash, hash)
     SELECT commune_id, row_number() OVER (ORDER BY finished_at, id), finished_at, 'finished', 'device_reported', finished_at, village_id,
       speaker_id, id, scheduled_at, started_at, 300000, repeat('0', 64), md5(id::text) || md5(id::text)
     FROM playbacks WHERE commune_id = $1 AND status = 'played'`,
    [communeId],
  );
  await sql.query('VACUUM ANALYZE playbacks');
  await sql.query('VACUUM ANALYZE report_daily');
  await sql.query('VACUUM ANALYZE airtime_records');
  const playbacks = Number((await sql.query(`SELECT count(*) FROM playbacks`)).rows[0].count);
  const records = Number((await sql.query(`SELECT count(*) FROM airtime_records`)).rows[0].count);
  return { communeId, playbacks, records };
}

/** The summary's whole read and computation, as ReportsService.summary does it (the airtime head aside). */
async function summary(source: SummarySource, request: ReportRequest): Promise<number> {
  const [counts, villages] = await Promise.all([source.counts(request), source.villages(request)]);
  const programs = await source.programs(programsOf(counts));
  return summarise({ counts, programs, villages, from: request.from, to: request.to, grouping: 'day', topicIds: [] }).totals.playbacks;
}

/** Streams the month's CSV through a real HTTP response to a client reading it; returns seconds, bytes and peak RSS. */
async function csvOverHttp(
  playbacks: PlaybackRepository,
  connection: Client,
  request: ReportRequest,
  stallTimeoutMs: number,
): Promise<{ seconds: number; bytes: number; peakRssMb: number; startRssMb: number }> {
  const server = createServer((_incoming, response) => {
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    void streamText(response as unknown as Response, asRunCsv([], playbacks.asRunBatches(request, connection)), stallTimeoutMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const start = performance.now();
  let bytes = 0;
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  } finally {
    clearInterval(sampler);
    server.close();
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { seconds: (performance.now() - start) / 1000, bytes, peakRssMb: peak / 2 ** 20, startRssMb: startRss / 2 ** 20 };
}

interface UpdateCost {
  /** The whole UPDATE, as the server executed it. */
  updateMs: number;
  /** Of which the rollup trigger's own time. */
  triggerMs: number;
}

/**
 * What the rollup trigger adds to a dispatch UPDATE, from the server's own accounting (EXPLAIN ANALYZE reports each
 * trigger's time), because on a shared 2-core machine two separate runs differ by more than the trigger costs.
 * Rolled back, so every run starts from the same rows.
 */
async function updateCost(sql: Client, ids: string[], runs: number): Promise<UpdateCost> {
  const samples: UpdateCost[] = [];
  for (let run = 0; run <= runs; run++) {
    await sql.query('BEGIN');
    const plan = (await sql.query(`EXPLAIN (ANALYZE, FORMAT JSON) UPDATE playbacks SET status = 'dispatching', attempts = attempts + 1 WHERE id = ANY($1)`, [ids]))
      .rows[0]['QUERY PLAN'][0] as { 'Execution Time': number; Triggers?: Array<{ 'Trigger Name': string; Time: number }> };
    await sql.query('ROLLBACK');
    const trigger = plan.Triggers?.find((entry) => entry['Trigger Name'] === 'playbacks_report_daily_update');
    if (run > 0) samples.push({ updateMs: plan['Execution Time'], triggerMs: trigger?.Time ?? 0 });
  }
  return { updateMs: median(samples.map((sample) => sample.updateMs)), triggerMs: median(samples.map((sample) => sample.triggerMs)) };
}

async function triggerCost(sql: Client, communeId: string): Promise<{ batch: UpdateCost; row: UpdateCost }> {
  const ids = (await sql.query(`SELECT id FROM playbacks WHERE commune_id = $1 ORDER BY scheduled_at DESC LIMIT $2`, [communeId, BATCH_ROWS])).rows.map(
    (row) => row.id as string,
  );
  return { batch: await updateCost(sql, ids, 5), row: await updateCost(sql, ids.slice(0, 1), 25) };
}

async function main(): Promise<void> {
  const opts = options();
  const base = AppConfig.fromEnvironment(process.env);
  const databaseUrl = scratchDatabaseUrl(benchServerUrl(base), `loa_bench_reports_${runTag()}`);
  const config = AppConfig.fromEnvironment({ ...process.env, DATABASE_URL: databaseUrl });

  const undo = new Undo();

  try {
    await createScratchDatabase(databaseUrl, undo);
    const { dataSource, sql } = await openMigrated(config, undo);

    const start = performance.now();
    const world = await seed(sql, opts);
    console.log(`seeded ${world.playbacks} playbacks and ${world.records} airtime records in ${((performance.now() - start) / 1000).toFixed(1)} s`);

    const request: ReportRequest = {
      commune: { id: world.communeId, name: 'Xã Bench', code: null, timezone: ZONE },
      ...MONTH,
      villageIds: null,
      speakerIds: [],
      topicIds: [],
      priorities: [],
      statuses: [],
    };
    const playbacks = new PlaybackRepository(dataSource);
    const source = new SummarySource(dataSource, playbacks);
    const summaryMs = await timed(5, () => summary(source, request));
    // The reference: what a report without the rollup would at least do, one GROUP BY over the month's raw playbacks.
    const baselineMs = await timed(5, () =>
      dataSource.query(
        `SELECT (scheduled_at AT TIME ZONE $2)::date AS local_day, village_id, schedule_id, priority, status, count(*) FROM playbacks
         WHERE commune_id = $1 AND scheduled_at >= ($3::date)::timestamp AT TIME ZONE $2 AND scheduled_at < ($4::date + 1)::timestamp AT TIME ZONE $2
         GROUP BY 1, 2, 3, 4, 5`,
        [world.communeId, ZONE, MONTH.from, MONTH.to],
      ),
    );
    const month = await summary(source, request);
    console.log(`one-month summary (${month} playbacks): ${summaryMs.toFixed(1)} ms; plain GROUP BY over the raw playbacks: ${baselineMs.toFixed(1)} ms`);

    // Flat memory: three days and a whole month peak at the same RSS (the npm script caps V8's old space at 128 MB,
    // so garbage is collected instead of piling up, and a stream that kept its lines would fail outright).
    const short = await csvOverHttp(playbacks, sql, { ...request, to: '2026-11-03' }, config.exports.stallTimeoutMs);
    const csv = await csvOverHttp(playbacks, sql, request, config.exports.stallTimeoutMs);
    console.log(
      `one-month as-run CSV: ${(csv.bytes / 2 ** 20).toFixed(1)} MB in ${csv.seconds.toFixed(2)} s; RSS ${csv.startRssMb.toFixed(0)} MB before, ` +
        `peak ${csv.peakRssMb.toFixed(0)} MB (three days, ${(short.bytes / 2 ** 20).toFixed(1)} MB: peak ${short.peakRssMb.toFixed(0)} MB)`,
    );

    const trigger = await triggerCost(sql, world.communeId);
    console.log(
      `rollup trigger: ${trigger.batch.triggerMs.toFixed(1)} ms of a ${trigger.batch.updateMs.toFixed(1)} ms batched UPDATE of ${BATCH_ROWS} playbacks; ` +
        `${trigger.row.triggerMs.toFixed(3)} ms of a ${trigger.row.updateMs.toFixed(3)} ms single-row UPDATE`,
    );
    const pass = summaryMs < GOAL_SUMMARY_MS;
    console.log(`goal: summary < ${GOAL_SUMMARY_MS} ms: ${pass ? 'met' : 'NOT met'}`);
    console.log(
      JSON.stringify({
        bench: 'reports',
        playbacks: world.playbacks,
        records: world.records,
        summary_ms: round(summaryMs),
        baseline_ms: round(baselineMs),
        ratio: round(summaryMs / baselineMs, 3),
        csv_month_s: round(csv.seconds, 2),
        csv_month_mb: round(csv.bytes / 2 ** 20),
        csv_start_rss_mb: round(csv.startRssMb),
        csv_peak_rss_mb: round(csv.peakRssMb),
        csv_3_days_peak_rss_mb: round(short.peakRssMb),
        update_10k_ms: round(trigger.batch.updateMs),
        trigger_10k_ms: round(trigger.batch.triggerMs),
        update_row_ms: round(trigger.row.updateMs, 3),
        trigger_row_ms: round(trigger.row.triggerMs, 3),
      }),
    );
  } finally {
    await undo.run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
