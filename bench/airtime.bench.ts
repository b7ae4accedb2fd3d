/**
 * `npm run bench:airtime [-- --records 100000 --writers 8 --batch 100 --communes 4 --rounds 5]`
 *
 * Appends `records` airtime records through Loa's real ledger (GroupCommitAirtimeLedger: entry checks, evidence
 * bounding, per-commune chain lock, hashing, group commit) from `writers` concurrent writers, each appending its
 * share in calls of `batch` entries, as the dispatcher's recorder does. In the same run, the same rows go through a
 * plain batched INSERT (same columns and indexes, entries converted to rows as any INSERT must, but no checks, no
 * chain, no lock, no hashing; positions given out in advance) from as many writers with the
 * same batch size. The two alternate over `rounds` rounds (a slice of the rows each), so that both meet the same
 * load on a shared machine. Goal: ratio = per_s / baseline_per_s >= 0.5. Works in a scratch database it drops at the end.
 * The last line printed is the JSON result.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { AirtimeEntry } from '../src/airtime/airtime-ledger';
import { insertRecords, StoredRecord } from '../src/airtime/airtime-record-store';
import { ChainVerifier } from '../src/airtime/chain-verifier';
import { GroupCommitAirtimeLedger } from '../src/airtime/group-commit-ledger';
import { GENESIS_HASH } from '../src/airtime/record-hash';
import { AppConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createScratchDatabase, runTag, scratchDatabaseUrl, Undo, benchServerUrl } from './support/scratch';

const GOAL_RATIO = 0.5;

interface Options {
  records: number;
  writers: number;
  batch: number;
  communes: number;
  rounds: number;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '100000' },
      writers: { type: 'string', default: '8' },
      batch: { type: 'string', default: '100' },
      communes: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '5' },
    },
    strict: true,
    allowPositionals: false,
  });
  const parsed = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Number(value)])) as unknown as Options;
  for (const [key, value] of Object.entries(parsed)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${key} must be a positive whole number, got ${String(values[key as keyof typeof values])}`);
  }
  return parsed;
}

/** Realistic entries: a dispatcher's commanded / acknowledged / finished events with a device answer. */
function makeEntries(count: number, communes: Array<{ communeId: string; villageIds: string[] }>): AirtimeEntry[] {
  const events = ['commanded', 'acknowledged', 'finished'] as const;
  const levels = { commanded: 'commanded', acknowledged: 'acknowledged', finished: 'device_reported' } as const;
  const base = Date.UTC(2026, 9, 10, 6, 0, 0);
  return Array.from({ length: count }, (_, n) => {
    const place = communes[n % communes.length];
    const event = events[n % 3];
    const scheduledAt = new Date(base + Math.floor(n / 300) * 60_000);
    return {
      communeId: place.communeId,
      villageId: place.villageIds[n % place.villageIds.length],
      speakerId: randomUUID(),
      playbackId: randomUUID(),
      event,
      occurredAt: new Date(scheduledAt.getTime() + 1000 + (n % 90_000)),
      audioSha256: 'c3'.repeat(32),
      scheduledAt,
      actualAt: new Date(scheduledAt.getTime() + 800),
      onAirMs: event === 'finished' ? 92_400 : null,
      evidenceLevel: levels[event],
      evidence: { device: 'axis-vapix', status: 200, answer: 'Request completed', elapsedMs: 800 + (n % 50) },
    };
  });
}

/**
 * Splits the entries among the writers, each writer keeping to one commune (writer w to commune w mod communes), as a
 * village's dispatch job appends its own speakers' events; each share is cut in batches.
 */
function shares<T extends { communeId: string }>(items: T[], communeIds: string[], writers: number, batch: number): T[][][] {
  const byCommune = communeIds.map((communeId) => items.filter((item) => item.communeId === communeId));
  return Array.from({ length: writers }, (_, w) => {
    const colleagues = Math.floor(writers / communeIds.length) + (w % communeIds.length < writers % communeIds.length ? 1 : 0);
    const mine = byCommune[w % communeIds.length].filter((_, n) => n % colleagues === Math.floor(w / communeIds.length));
    return Array.from({ length: Math.ceil(mine.length / batch) }, (_, b) => mine.slice(b * batch, (b + 1) * batch));
  });
}

const NO_CANONICAL_TEXT = { before: '', between: '', after: '' };

/** What a plain batched INSERT does with the entries: the same columns, converted as any INSERT must, unchained. */
function plainRows(entries: AirtimeEntry[], positions: Map<AirtimeEntry, number>): StoredRecord[] {
  const recordedAt = new Date().toISOString();
  return entries.map((entry) => ({
    communeId: entry.communeId,
    villageId: entry.villageId,
    speakerId: entry.speakerId,
    playbackId: entry.playbackId,
    event: entry.event,
    evidenceLevel: entry.evidenceLevel,
    occurredAt: entry.occurredAt.toISOString(),
    audioSha256: entry.audioSha256,
    scheduledAt: entry.scheduledAt.toISOString(),
    actualAt: entry.actualAt?.toISOString() ?? null,
    onAirMs: entry.onAirMs,
    evidence: entry.evidence,
    evidenceJson: JSON.stringify(entry.evidence),
    canonical: NO_CANONICAL_TEXT,
    seq: positions.get(entry)!,
    recordedAt,
    prevHash: GENESIS_HASH,
    hash: GENESIS_HASH,
  }));
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const opts = options();
  const base = AppConfig.fromEnvironment(process.env);
  const databaseUrl = scratchDatabaseUrl(benchServerUrl(base), `loa_bench_airtime_${runTag()}`);
  const config = AppConfig.fromEnvironment({ ...process.env, DATABASE_URL: databaseUrl, DATABASE_MIGRATION_URL: '' });
  const undo = new Undo();

  try {
    await createScratchDatabase(databaseUrl, undo);
    // Pool as large as the writers, so the baseline's writers really run side by side.
    const dataSource = new DataSource({ ...(dataSourceOptions(config) as PostgresConnectionOptions), extra: { max: Math.max(opts.writers, 2) } });
    await dataSource.initialize();
    undo.push(() => dataSource.destroy());
    await dataSource.runMigrations();
    // The baseline's table: same columns, constraints and indexes, no append-only triggers.
    await dataSource.query('CREATE TABLE airtime_baseline (LIKE airtime_records INCLUDING ALL)');

    const communes = Array.from({ length: opts.communes }, () => ({ communeId: randomUUID(), villageIds: Array.from({ length: 24 }, () => randomUUID()) }));
    const communeIds = communes.map((commune) => commune.communeId);
    const entries = makeEntries(opts.records, communes);
    console.log(
      `Airtime benchmark: ${opts.records} records, ${opts.writers} writers, batches of ${opts.batch}, ${opts.communes} communes, database ${new URL(databaseUrl).pathname.slice(1)}`,
    );

    // The baseline's positions are given out in advance (no lock, no reading back); all else it does while timed.
    const positions = new Map<AirtimeEntry, number>();
    const next = new Map<string, number>();
    for (const entry of entries) {
      next.set(entry.communeId, (next.get(entry.communeId) ?? 0) + 1);
      positions.set(entry, next.get(entry.communeId)!);
    }
    // Rounds alternate the two, each on its slice of the entries, so both see the same (shared, noisy) machine.
    const ledger = new GroupCommitAirtimeLedger(dataSource);
    const entryShares = shares(entries, communeIds, opts.writers, opts.batch);
    let baselineSeconds = 0;
    let loaSeconds = 0;
    for (let round = 0; round < opts.rounds; round += 1) {
      const slice = <T>(batches: T[]) => batches.filter((_, b) => b % opts.rounds === round);
      baselineSeconds += await timed(() =>
        Promise.all(
          entryShares.map(async (batches) => {
            for (const batch of slice(batches)) await insertRecords(dataSource.manager, plainRows(batch, positions), 'airtime_baseline');
          }),
        ),
      );
      loaSeconds += await timed(() =>
        Promise.all(
          entryShares.map(async (batches) => {
            for (const batch of slice(batches)) await ledger.append(batch);
          }),
        ),
      );
    }
    const baselinePerS = opts.records / baselineSeconds;
    const perS = opts.records / loaSeconds;
    console.log(`  plain batched INSERT  ${opts.records} rows in ${baselineSeconds.toFixed(2)} s = ${Math.round(baselinePerS)} /s`);
    console.log(`  Loa ledger (chained)  ${opts.records} records in ${loaSeconds.toFixed(2)} s = ${Math.round(perS)} /s`);

    const verifyStarted = performance.now();
    const report = await new ChainVerifier(dataSource, config.airtime.signingKey.publicKey).verify(communeIds);
    const chained = report.communes.reduce((total, commune) => total + commune.length, 0);
    console.log(`  verify: ${report.ok ? 'every chain intact' : 'BROKEN'}, ${chained} records in ${((performance.now() - verifyStarted) / 1000).toFixed(2)} s`);
    if (!report.ok || chained !== opts.records)
      throw new Error(`the chains do not hold the ${opts.records} records: ${JSON.stringify(report.communes.map((c) => c.firstBroken))}`);

    const ratio = perS / baselinePerS;
    console.log(`  ratio ${ratio.toFixed(2)} (goal ≥ ${GOAL_RATIO}: ${ratio >= GOAL_RATIO ? 'met' : 'NOT met'})`);
    console.log(
      JSON.stringify({
        bench: 'airtime',
        records: opts.records,
        writers: opts.writers,
        per_s: Math.round(perS),
        baseline_per_s: Math.round(baselinePerS),
        ratio: Number(ratio.toFixed(3)),
      }),
    );
  } finally {
    await undo.run();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:airtime failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
