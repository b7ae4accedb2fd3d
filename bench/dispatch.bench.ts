/**
 * `npm run bench:dispatch [-- --speakers 10000,20000,50000 --village-size 50]`
 *
 * Issue 5's benchmark, in one process, on a scratch PostgreSQL database (real migrations) and its own QUEUE_PREFIX,
 * both removed at the end (also on Ctrl+C):
 *  1. Planner throughput: N speakers × 2 slots a day × 7 days through Loa's real PlaybackPlanner.planOnce
 *     (resolve targets, expand, INSERT … ON CONFLICT, addBulk, mark queued), against a bare 500-row INSERT +
 *     one addBulk of the same rows. Goal: plan_ratio = loa_rows_per_s / bare_rows_per_s ≥ 0.5.
 *  2. On-time dispatch: one one-off schedule on N speakers (villages of --village-size), planned by the real planner,
 *     played by the real PlaybackWorker + PlaybackDispatcher (one job per village, staged DISPATCH_LEAD_MS ahead and
 *     released on the instant, airtime entries appended to the real ledger) with a no-op driver that records the
 *     instant it is called. Lateness = driver call − scheduled instant; spread = last − first driver call within each village.
 *     Against bare BullMQ: N delayed no-op jobs due at one instant, lateness of each job start.
 *     Goals: p99_ratio = p99 / bare_p99 ≤ 0.1 and village spread p99 ≤ 20 ms.
 *     With several sizes (`--speakers 10000,20000,50000`), part 2 and its bare run are repeated for each, smallest
 *     first, each on its own commune, with the process's memory when every village is staged (just before the instant):
 *     rss, and the growth since just before the villages' jobs arrived, per staged speaker. Part 1 runs at the first size.
 * One line per size, then the JSON result as the last line: the first size's figures as before, and `sizes`.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { Registry } from 'prom-client';
import { GroupCommitAirtimeLedger } from '../src/airtime/group-commit-ledger';
import { Bulletin } from '../src/bulletins/bulletin.entity';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { AuditService } from '../src/audit/audit.service';
import { ChimeAudio } from '../src/chime/chime-audio';
import { AppConfig } from '../src/config/app-config';
import { MediaLinks } from '../src/media-links/media-links.service';
import { DispatchMetrics } from '../src/metrics/dispatch-metrics';
import { AirtimeRecorder } from '../src/playbacks/dispatch/airtime-recorder';
import { PlaybackWrites } from '../src/playbacks/dispatch/playback-writes';
import { ProgramApproval } from '../src/playbacks/dispatch/program-approval';
import { ProgramAudio } from '../src/playbacks/dispatch/program-audio';
import { PlaybackDispatcher } from '../src/playbacks/playback-dispatcher';
import { PlaybackPlanner } from '../src/playbacks/playback-planner';
import { PlaybackRepository } from '../src/playbacks/playback-repository';
import { PlaybackWorker } from '../src/playbacks/playback.worker';
import { LeaseRedis, SpeakerLeases } from '../src/playbacks/speaker-lease';
import { DISPATCH_LEAD_MS, planningWindow, planPlaybacks } from '../src/playbacks/planning';
import { QueueName } from '../src/queue/queue.constants';
import { QueueWorkers } from '../src/queue/queue-workers';
import { redisConnectionOptions } from '../src/queue/redis-connection';
import { normaliseRrule, occurrencesBetween } from '../src/schedules/recurrence';
import { RecurrenceEngine } from '../src/schedules/recurrence-engine';
import { ScheduleBulletin } from '../src/schedules/schedule-bulletin.entity';
import { ScheduleHolds } from '../src/schedules/schedule-holds';
import { ScheduleQuarantine } from '../src/schedules/schedule-quarantine';
import { ScheduleSpeakers } from '../src/schedules/schedule-speakers';
import { Schedule } from '../src/schedules/schedule.entity';
import { SecretBox } from '../src/security/secret-box';
import { DriverAudioCache } from '../src/speakers/drivers/driver-audio-cache';
import { SpeakerDriverRegistry } from '../src/speakers/drivers/drivers';
import { ItemEvidence, PlaybackRequest, SpeakerDriver } from '../src/speakers/drivers/speaker-driver';
import { Speaker } from '../src/speakers/speaker.entity';
import { SpeakerTargets } from '../src/speakers/speaker-targets';
import { createScratchDatabase, openMigrated, runTag, scratchDatabaseUrl, Undo, benchServerUrl } from './support/scratch';

const GOAL_P99_RATIO = 0.1;
const GOAL_SPREAD_MS = 20;
const GOAL_PLAN_RATIO = 0.5;
/** The minute's tick when nothing changed (the province-scale goal: 5.4 s at 140,000 waiting playbacks before it was incremental). */
const GOAL_STEADY_TICK_S = 0.5;
const TIMEZONE = 'Asia/Ho_Chi_Minh';
const PLAN_DAYS = 7;
const INSERT_CHUNK = 500;

interface Options {
  sizes: number[];
  villageSize: number;
  leadMs: number | null;
  concurrency: number | null;
  bareConcurrency: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      speakers: { type: 'string', default: '10000' },
      'village-size': { type: 'string', default: '50' },
      /** How far ahead of now the dispatch instant is (default: the dispatch lead + 5 s + 1 ms per speaker, room for planning). */
      'lead-ms': { type: 'string' },
      /** Loa worker concurrency (default: the app's PLAYBACK_WORKER_CONCURRENCY). */
      concurrency: { type: 'string' },
      'bare-concurrency': { type: 'string', default: '100' },
    },
    strict: true,
    allowPositionals: false,
  });
  const int = (name: string, raw: string | undefined, min: number): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}, got ${raw}`);
    return value;
  };
  return {
    sizes: values.speakers.split(',').map((size) => int('speakers', size.trim(), 1)),
    villageSize: int('village-size', values['village-size'], 1),
    leadMs: values['lead-ms'] === undefined ? null : int('lead-ms', values['lead-ms'], 2000),
    concurrency: values.concurrency === undefined ? null : int('concurrency', values.concurrency, 1),
    bareConcurrency: int('bare-concurrency', values['bare-concurrency'], 1),
  };
}

/** Wall-clock milliseconds with sub-millisecond resolution (the instant a driver or job is called). */
const nowMs = (): number => performance.timeOrigin + performance.now();

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Figures {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function figures(values: number[]): Figures {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

/** One size's dispatch: the driver calls' lateness and village spread, bare BullMQ's lateness, and memory once staged. */
interface SizeResult {
  speakers: number;
  called: number;
  loa: Figures;
  spread: Figures;
  bare: Figures;
  rssMb: number;
  stagedKbPerSpeaker: number;
}

/** How long before the instant memory is sampled: every village staged, none released, room for a full collection. */
const MEMORY_SAMPLE_AHEAD_MS = 1_000;

/** Heap and buffers still referenced, after a full collection when the process runs with --expose-gc (as `npm run bench:dispatch` does). */
function liveBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const show = (f: Figures): string =>
  `p50 ${f.p50.toFixed(1)} ms  p95 ${f.p95.toFixed(1)} ms  p99 ${f.p99.toFixed(1)} ms  max ${f.max.toFixed(1)} ms  (n=${f.count})`;

/** Resolves when `done()` holds, or after `timeoutMs` (then returns false). */
async function until(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** A driver that does nothing but note when it was called, per speaker (its `settings.speaker`). */
class NoopDriver implements SpeakerDriver {
  readonly name = 'axis-vapix' as const;
  readonly audioFormat = 'mulaw' as const;
  readonly settingsClass = null;
  readonly secretsClass = null;
  readonly calls = new Map<string, number>();

  async play(target: { settings: object }, request: PlaybackRequest): Promise<ItemEvidence[]> {
    const at = nowMs();
    this.calls.set((target.settings as { speaker: string }).speaker, at);
    return request.program.map(({ bulletinId }) => ({ bulletinId, evidence: { level: 'commanded', commandedAt: new Date(at), device: {} } }));
  }

  async stop(): Promise<boolean> {
    return false;
  }

  async checkHealth(): Promise<never> {
    throw new Error('not used by the benchmark');
  }
}

/** Multi-row INSERTs of plain values, `chunk` rows a statement; returns how many were inserted. */
async function insertRows(client: Client, table: string, columns: string[], rows: unknown[][], suffix = ''): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    const slice = rows.slice(start, start + INSERT_CHUNK);
    const params: unknown[] = [];
    const tuples = slice.map((row) => `(${row.map((value) => (params.push(value), `$${params.length}`)).join(',')})`);
    const result = await client.query(`INSERT INTO ${table} (${columns.join(',')}) VALUES ${tuples.join(',')} ${suffix}`, params);
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

interface Place {
  communeId: string;
  villages: Map<string, string[]>; // village id → speaker ids
}

/** A commune with N enabled speakers (the no-op driver's name) in villages of `villageSize`. Not timed. */
async function seedCommune(client: Client, name: string, speakers: number, villageSize: number): Promise<Place> {
  const communeId = randomUUID();
  await client.query('INSERT INTO communes (id, name) VALUES ($1, $2)', [communeId, name]);
  const villages = new Map<string, string[]>();
  const villageRows: unknown[][] = [];
  const speakerRows: unknown[][] = [];
  for (let index = 0; index < speakers; index++) {
    if (index % villageSize === 0) {
      const villageId = randomUUID();
      villages.set(villageId, []);
      villageRows.push([villageId, communeId, `Thôn ${villageRows.length + 1}`]);
    }
    const villageId = villageRows[villageRows.length - 1][0] as string;
    const speakerId = randomUUID();
    villages.get(villageId)!.push(speakerId);
    speakerRows.push([speakerId, villageId, `Loa ${index + 1}`, 'axis-vapix', JSON.stringify({ speaker: speakerId })]);
  }
  await insertRows(client, 'villages', ['id', 'commune_id', 'name'], villageRows);
  await insertRows(client, 'speakers', ['id', 'village_id', 'name', 'driver', 'settings'], speakerRows);
  return { communeId, villages };
}

/** A ready, approved bulletin of the commune (its rendition is never read: the driver is a no-op). */
async function seedBulletin(client: Client, communeId: string): Promise<string> {
  const id = randomUUID();
  const sha = 'a'.repeat(64);
  const [{ id: topicId }] = (await client.query('SELECT id FROM topics ORDER BY sort_order LIMIT 1')).rows as Array<{ id: string }>;
  await client.query(
    `INSERT INTO bulletins (id, title, topic_id, status, original_sha256, original_filename, original_bytes, original_format, original_codec,
       original_duration_ms, original_sample_rate, original_channels, original_peak_dbfs, rendition_sha256, rendition_bytes, duration_ms,
       sample_rate, bitrate_kbps, processed_at, approved_at, commune_id)
     VALUES ($1, 'Bản tin thử', $2, 'approved', $3, 'b.mp3', 1000, 'mp3', 'mp3', 60000, 44100, 1, -1, $3, 1000, 60000, 44100, 64, now(), now(), $4)`,
    [id, topicId, sha, communeId],
  );
  return id;
}

async function seedSchedule(client: Client, communeId: string, bulletinId: string, timing: { startsAt: Date | null; rrule: string | null }): Promise<string> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO schedules (id, commune_id, title, status, starts_at, rrule, timezone, program_ms, created_at)
     VALUES ($1, $2, 'Bench', 'active', $3, $4, $5, 60000, now() - interval '1 minute')`,
    [id, communeId, timing.startsAt, timing.rrule, TIMEZONE],
  );
  await client.query('INSERT INTO schedule_bulletins (schedule_id, version, position, bulletin_id) VALUES ($1, 1, 0, $2)', [id, bulletinId]);
  await client.query('INSERT INTO schedule_targets (schedule_id, commune_id) VALUES ($1, $2)', [id, communeId]);
  return id;
}

async function main(): Promise<void> {
  const opts = options();
  Logger.overrideLogger(['error']);
  const tag = runTag();
  const baseConfig = AppConfig.fromEnvironment(process.env);
  const databaseUrl = scratchDatabaseUrl(benchServerUrl(baseConfig), `loa_bench_dispatch_${tag}`);
  const prefix = `loa-bench-dispatch-${tag}`;
  const config = AppConfig.fromEnvironment({
    ...process.env,
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: prefix,
    PLANNER: 'false',
    PLANNER_HORIZON_HOURS: String(PLAN_DAYS * 24),
    ...(opts.concurrency ? { PLAYBACK_WORKER_CONCURRENCY: String(opts.concurrency) } : {}),
  });
  const connection = redisConnectionOptions(config.redis.url);

  const undo = new Undo();

  try {
    // Scratch database with the real migrations.
    await createScratchDatabase(databaseUrl, undo);
    const { dataSource, sql } = await openMigrated(config, undo);

    // Every queue this run touches, obliterated at the end, then any other key under the prefix (speaker leases).
    const queues: Queue[] = [];
    const openQueue = (name: string): Queue => {
      const queue = new Queue(name, { connection, prefix });
      queues.push(queue);
      return queue;
    };
    undo.push(async () => {
      for (const queue of queues) {
        await queue.obliterate({ force: true }).catch(() => undefined);
        const client = (await queue.client) as unknown as Redis;
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await client.del(...keys);
        } while (cursor !== '0');
        await queue.close();
      }
    });
    const playbackQueue = openQueue(QueueName.Playback);

    // Loa's pieces, as the Nest modules wire them, with a no-op driver and no audio files.
    const driver = new NoopDriver();
    const targets = new SpeakerTargets(new SpeakerDriverRegistry([driver]), {} as SecretBox);
    const audioCache = { pathFor: async () => '/dev/null' } as unknown as DriverAudioCache;
    const mediaLinks = { urlFor: () => 'http://127.0.0.1/none' } as unknown as MediaLinks;
    const ledger = new GroupCommitAirtimeLedger(dataSource);
    undo.push(() => ledger.beforeApplicationShutdown());
    const airtime = new AirtimeRecorder(ledger);
    const recurrence = new RecurrenceEngine(config);
    undo.push(() => recurrence.onModuleDestroy());
    const playbacks = new PlaybackRepository(dataSource);
    const planner = new PlaybackPlanner(
      dataSource.getRepository(Schedule),
      dataSource,
      playbacks,
      playbackQueue as never,
      new ScheduleSpeakers(dataSource.getRepository(Speaker)),
      config,
      airtime,
      recurrence,
      new ScheduleQuarantine(dataSource, new AuditService(dataSource.getRepository(AuditEntry))),
      new ScheduleHolds(dataSource, new AuditService(dataSource.getRepository(AuditEntry))),
      new SchedulerRegistry(),
    );
    const programs = new ProgramAudio(
      dataSource.getRepository(Schedule),
      dataSource.getRepository(ScheduleBulletin),
      dataSource.getRepository(Bulletin),
      audioCache,
      mediaLinks,
      {} as ChimeAudio,
    );

    const [firstSize] = opts.sizes;
    console.log(
      `Dispatch benchmark: ${opts.sizes.join(', ')} speakers, villages of ${opts.villageSize}, prefix ${prefix}, database ${new URL(databaseUrl).pathname.slice(1)}`,
    );

    // ---- 1. Planner throughput: N speakers × 2 slots × 7 days ----
    const planPlace = await seedCommune(sql, 'Xã Kế Hoạch', firstSize, opts.villageSize);
    const planBulletin = await seedBulletin(sql, planPlace.communeId);
    const rrule = normaliseRrule('FREQ=DAILY;BYHOUR=6,17;BYMINUTE=0;BYSECOND=0', TIMEZONE, new Date());
    const expected = firstSize * 2 * PLAN_DAYS;
    console.log(`\nPlanner, ${firstSize} speakers × 2 slots × ${PLAN_DAYS} days (expected ${expected} playbacks)`);
    const planSchedule = await seedSchedule(sql, planPlace.communeId, planBulletin, { startsAt: null, rrule });
    // The rows the planner should produce, computed untimed with Loa's pure expansion, for the bare baseline.
    const planNow = new Date();
    const scheduleRow = await dataSource.getRepository(Schedule).findOneByOrFail({ id: planSchedule });
    const planSpeakers = [...planPlace.villages].flatMap(([villageId, ids]) => ids.map((id) => ({ id, villageId })));
    const planWindow = planningWindow(scheduleRow, planNow, config.planner.horizonHours * 3_600_000);
    const expectedRows = planPlaybacks(scheduleRow, planSpeakers, occurrencesBetween(scheduleRow, planWindow.from, planWindow.to));
    let planRows = 0;
    let loaPlanPerS = 0;
    let planError: string | null = null;
    const loaStarted = performance.now();
    try {
      const report = await planner.planOnce({ communeIds: [planPlace.communeId] });
      if (!report.planned) throw new Error(`planner did not plan: ${report.reason}`);
      const seconds = (performance.now() - loaStarted) / 1000;
      planRows = report.inserted;
      loaPlanPerS = planRows / seconds;
      console.log(`  Loa planner   ${planRows} playbacks (${report.queued} queued) in ${seconds.toFixed(2)} s = ${Math.round(loaPlanPerS)} /s`);
    } catch (error) {
      planError = (error as Error).message;
    }
    if (planError || planRows < expected) {
      // A tick that skipped a schedule (logged "could not be expanded") or threw is not a planner that works at this size.
      console.log(
        `  FAILED: Loa's planner planned ${planRows} of ${expected} playbacks${planError ? `, then threw: ${planError.slice(0, 160)}` : ' (see the error logged above)'}`,
      );
      console.log('  Counted as 0 playbacks/s: a tick that does not complete plans nothing usable.');
      planRows = 0;
      loaPlanPerS = 0;
    }
    // The ticks after that, in a minute when nothing changed (the schedule and speakers last changed an hour ago): the
    // hourly full reconciliation compares every waiting playback with the plan; the minute's incremental tick plans
    // only the minute its horizon moved on.
    let steadyTickS: number | null = null;
    let fullReconcileS: number | null = null;
    if (!planError && planRows > 0) {
      await sql.query("UPDATE schedules SET updated_at = now() - interval '1 hour' WHERE commune_id = $1", [planPlace.communeId]);
      await sql.query("UPDATE speakers SET configured_at = now() - interval '1 hour'");
      const fullStarted = performance.now();
      const full = await planner.planOnce();
      fullReconcileS = (performance.now() - fullStarted) / 1000;
      const fullChanged = full.planned ? full.inserted + full.withdrawn : 'not planned';
      console.log(
        `  full reconciliation ${fullReconcileS.toFixed(2)} s over ${planRows} waiting playbacks (changed: ${fullChanged}; at start, hourly, after a Redis loss)`,
      );
      const steadyStarted = performance.now();
      const steady = await planner.tickOnce();
      steadyTickS = (performance.now() - steadyStarted) / 1000;
      const changed = steady.planned ? `${steady.mode}, changed: ${steady.inserted + steady.withdrawn}` : 'not planned';
      console.log(`  steady tick   ${steadyTickS.toFixed(2)} s over ${planRows} waiting playbacks (${changed}; ticks come every 60 s)`);
    }
    await sql.query('DELETE FROM playbacks WHERE commune_id = $1', [planPlace.communeId]);
    await playbackQueue.obliterate({ force: true });

    // Bare: the same rows, 500-row INSERT … ON CONFLICT DO NOTHING RETURNING id into a copy of the table, one addBulk.
    await sql.query('CREATE TABLE bare_playbacks (LIKE playbacks INCLUDING ALL)');
    const bareQueue = openQueue('bare-plan');
    const columns = ['schedule_id', 'speaker_id', 'village_id', 'commune_id', 'priority', 'scheduled_at', 'grace_until', 'status'];
    const rows = expectedRows.map((row) => [row.scheduleId, row.speakerId, row.villageId, row.communeId, row.priority, row.scheduledAt, row.graceUntil, 'planned']);
    const planStarted = performance.now();
    const ids: string[] = [];
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const slice = rows.slice(start, start + INSERT_CHUNK);
      const params: unknown[] = [];
      const tuples = slice.map((row) => `(${row.map((value) => (params.push(value), `$${params.length}`)).join(',')})`);
      const result = await sql.query(`INSERT INTO bare_playbacks (${columns.join(',')}) VALUES ${tuples.join(',')} ON CONFLICT DO NOTHING RETURNING id`, params);
      for (const { id } of result.rows as Array<{ id: string }>) ids.push(id);
    }
    const bareNow = Date.now();
    await bareQueue.addBulk(
      ids.map((id, index) => ({
        name: 'dispatch-playback',
        data: { playbackId: id },
        opts: {
          jobId: `playback-${id}`,
          delay: Math.max(0, (rows[index][5] as Date).getTime() - bareNow - 1500),
          removeOnComplete: { age: 86400 },
          removeOnFail: true,
        },
      })),
    );
    const barePlanS = (performance.now() - planStarted) / 1000;
    const barePlanPerS = ids.length / barePlanS;
    const planRatio = loaPlanPerS / barePlanPerS;
    console.log(`  bare          ${ids.length} rows (500-row INSERT + addBulk) in ${barePlanS.toFixed(2)} s = ${Math.round(barePlanPerS)} /s`);
    console.log(`  ratio ${planRatio.toFixed(2)} (goal ≥ ${GOAL_PLAN_RATIO}: ${planRatio >= GOAL_PLAN_RATIO ? 'met' : 'NOT met'})`);
    // Out of the way of the dispatch run: those jobs are days ahead, and no worker runs yet.
    await playbackQueue.obliterate({ force: true });
    await bareQueue.obliterate({ force: true });
    await sql.query('DROP TABLE bare_playbacks');
    await sql.query("UPDATE schedules SET status = 'cancelled' WHERE commune_id = $1", [planPlace.communeId]);
    await sql.query('DELETE FROM playbacks WHERE commune_id = $1', [planPlace.communeId]);

    // ---- 2. Loa dispatch: N speakers due at one instant, and 3. bare BullMQ, for each size ----
    const dispatchAt = async (speakers: number): Promise<SizeResult> => {
      const place = await seedCommune(sql, `Xã Đúng Giờ ${speakers}`, speakers, opts.villageSize);
      const bulletin = await seedBulletin(sql, place.communeId);
      await sql.query('VACUUM ANALYZE');
      driver.calls.clear();
      const metrics = new DispatchMetrics(new Registry());
      const dispatcher = new PlaybackDispatcher(new PlaybackWrites(playbacks), targets, programs, metrics, airtime, new ProgramApproval(dataSource));
      const leases = new SpeakerLeases((await playbackQueue.client) as unknown as LeaseRedis, config.redis.queuePrefix);
      const worker = new PlaybackWorker(dispatcher, airtime, leases, new QueueWorkers(config), config);
      worker.onApplicationBootstrap();
      undo.push(() => worker.beforeApplicationShutdown());
      const leadMs = opts.leadMs ?? DISPATCH_LEAD_MS + 5_000 + speakers;
      const instant = new Date(Math.ceil((Date.now() + leadMs) / 1000) * 1000);
      const scheduleId = await seedSchedule(sql, place.communeId, bulletin, { startsAt: instant, rrule: null });
      const dispatchPlanned = performance.now();
      const dispatchReport = await planner.planOnce({ communeIds: [place.communeId] });
      const planMsLeft = instant.getTime() - Date.now();
      console.log(
        `\nLoa dispatch, ${speakers} speakers (planner + playback queue + PlaybackWorker + PlaybackDispatcher, no-op driver, staging ${config.playback.workerConcurrency} villages at once)`,
      );
      console.log(
        `  planned ${dispatchReport.planned ? dispatchReport.queued : 0} in ${Math.round(performance.now() - dispatchPlanned)} ms; instant ${instant.toISOString()}, ${planMsLeft} ms ahead`,
      );
      if (planMsLeft < DISPATCH_LEAD_MS) console.log('  WARNING: planning ended less than the dispatch lead before the instant; raise --lead-ms');
      // Memory before the villages' jobs arrive (the dispatch lead before the instant), and once all are staged.
      await sleep(Math.max(0, instant.getTime() - DISPATCH_LEAD_MS - 500 - Date.now()));
      const before = liveBytes();
      await sleep(Math.max(0, instant.getTime() - MEMORY_SAMPLE_AHEAD_MS - Date.now()));
      const stagedBytes = liveBytes();
      const stagedRss = process.memoryUsage().rss;
      await until(() => driver.calls.size >= speakers, instant.getTime() - Date.now() + 120_000);
      // Let the last dispatches record their outcome before reading the table (bounded: 60 s).
      for (let waited = 0; waited < 60_000; waited += 250) {
        const [{ n }] = (
          await sql.query("SELECT count(*)::int AS n FROM playbacks WHERE schedule_id = $1 AND status IN ('planned', 'queued', 'dispatching')", [scheduleId])
        ).rows as Array<{ n: number }>;
        if (n === 0) break;
        await sleep(250);
      }
      const loa = figures([...driver.calls.values()].map((at) => at - instant.getTime()));
      const spreads: number[] = [];
      for (const ids of place.villages.values()) {
        const times = ids.map((id) => driver.calls.get(id)).filter((at): at is number => at !== undefined);
        if (times.length) spreads.push(Math.max(...times) - Math.min(...times));
      }
      const spread = figures(spreads);
      const statuses = (
        await sql.query(
          'SELECT status, count(*)::int AS n, percentile_disc(0.99) WITHIN GROUP (ORDER BY lateness_ms) AS p99 FROM playbacks WHERE schedule_id = $1 GROUP BY status',
          [scheduleId],
        )
      ).rows as Array<{ status: string; n: number; p99: number | null }>;
      const called = driver.calls.size;
      console.log(`  driver called for ${called}/${speakers} speakers`);
      console.log(`  lateness        ${show(loa)}`);
      console.log(`  village spread  ${show(spread)}`);
      const ahead = (await metrics.stagedAhead.get()).values.filter((value) => value.metricName?.endsWith('_bucket'));
      console.log(`  villages ready before the instant (cumulative, by seconds ahead): ${ahead.map((value) => `≤${value.labels.le}: ${value.value}`).join(', ')}`);
      console.log(`  playbacks table: ${statuses.map((row) => `${row.status} ${row.n}${row.p99 !== null ? ` (lateness_ms p99 ${row.p99})` : ''}`).join(', ')}`);
      const stagedKbPerSpeaker = (stagedBytes - before) / 1024 / speakers;
      console.log(
        `  memory          rss ${(stagedRss / 2 ** 20).toFixed(0)} MB ${MEMORY_SAMPLE_AHEAD_MS} ms before the instant; live heap +${((stagedBytes - before) / 2 ** 20).toFixed(1)} MB since the villages' jobs arrived = ${stagedKbPerSpeaker.toFixed(2)} KB per staged speaker`,
      );
      await worker.beforeApplicationShutdown();
      const bare = await bareAt(speakers);
      return { speakers, called, loa, spread, bare, rssMb: stagedRss / 2 ** 20, stagedKbPerSpeaker };
    };

    // Bare BullMQ: N delayed no-op jobs due at one instant.
    const bareAt = async (speakers: number): Promise<Figures> => {
      const bareDispatch = openQueue(`bare-dispatch-${speakers}`);
      const started: number[] = [];
      const bareWorker = new Worker(
        bareDispatch.name,
        async (job: Job<{ at: number }>) => {
          started.push(nowMs() - job.data.at);
        },
        { connection, prefix, concurrency: opts.bareConcurrency },
      );
      undo.push(() => bareWorker.close());
      await bareWorker.waitUntilReady();
      const bareInstant = Math.ceil((Date.now() + 3_000 + speakers * 0.2) / 1000) * 1000;
      const addAt = Date.now();
      await bareDispatch.addBulk(
        Array.from({ length: speakers }, (_, index) => ({
          name: 'noop',
          data: { at: bareInstant },
          opts: { jobId: `bare-${index}`, delay: bareInstant - addAt, removeOnComplete: true, removeOnFail: true },
        })),
      );
      if (Date.now() > bareInstant) console.log('  WARNING: bare jobs were added after their instant');
      await until(() => started.length >= speakers, bareInstant - Date.now() + 120_000);
      await bareWorker.close();
      const bare = figures(started);
      console.log(`Bare BullMQ, ${speakers} delayed no-op jobs due at one instant, concurrency ${opts.bareConcurrency}`);
      console.log(`  lateness        ${show(bare)}`);
      return bare;
    };

    const results: SizeResult[] = [];
    for (const speakers of opts.sizes) results.push(await dispatchAt(speakers));

    const ratio = (result: SizeResult): number => result.loa.p99 / result.bare.p99;
    const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
    console.log(`\nSummary (goals: p99 ≤ ${GOAL_P99_RATIO} × bare p99, village spread p99 ≤ ${GOAL_SPREAD_MS} ms)`);
    for (const result of results) {
      console.log(
        `  ${String(result.speakers).padStart(7)} speakers: p99 ${result.loa.p99.toFixed(1)} ms vs bare ${result.bare.p99.toFixed(1)} ms, ratio ${ratio(result).toFixed(3)} (${met(ratio(result) <= GOAL_P99_RATIO)}); ` +
          `village spread p99 ${result.spread.p99.toFixed(1)} ms (${met(result.spread.p99 <= GOAL_SPREAD_MS)}); rss ${result.rssMb.toFixed(0)} MB, ${result.stagedKbPerSpeaker.toFixed(2)} KB per staged speaker` +
          (result.called < result.speakers ? `; only ${result.called} called before the timeout` : ''),
      );
    }
    console.log(
      `  planner ${Math.round(loaPlanPerS)} playbacks/s vs bare ${Math.round(barePlanPerS)}/s: ratio ${planRatio.toFixed(2)} (goal ≥ ${GOAL_PLAN_RATIO}: ${met(planRatio >= GOAL_PLAN_RATIO)})`,
    );
    if (steadyTickS !== null)
      console.log(
        `  steady tick ${steadyTickS.toFixed(2)} s (goal ≤ ${GOAL_STEADY_TICK_S} s: ${met(steadyTickS <= GOAL_STEADY_TICK_S)}); full reconciliation ${fullReconcileS!.toFixed(2)} s`,
      );

    await undo.run();
    const [first] = results;
    console.log(
      JSON.stringify({
        bench: 'dispatch',
        speakers: first.speakers,
        p50_ms: round(first.loa.p50),
        p95_ms: round(first.loa.p95),
        p99_ms: round(first.loa.p99),
        max_ms: round(first.loa.max),
        village_spread_p99_ms: round(first.spread.p99),
        bare_p99_ms: round(first.bare.p99),
        p99_ratio: round(ratio(first), 3),
        plan_per_s: Math.round(loaPlanPerS),
        plan_ratio: round(planRatio, 2),
        steady_tick_s: steadyTickS === null ? null : round(steadyTickS, 2),
        full_reconcile_s: fullReconcileS === null ? null : round(fullReconcileS, 2),
        sizes: results.map((result) => ({
          speakers: result.speakers,
          p99_ms: round(result.loa.p99),
          bare_p99_ms: round(result.bare.p99),
          p99_ratio: round(ratio(result), 3),
          village_spread_p99_ms: round(result.spread.p99),
          rss_mb: round(result.rssMb),
          staged_kb_per_speaker: round(result.stagedKbPerSpeaker, 2),
        })),
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
