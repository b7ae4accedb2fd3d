import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { AirtimeEntry } from '../../src/airtime/airtime-ledger';
import { contentOf, RecordRow } from '../../src/airtime/chain-verifier';
import { GENESIS_HASH, recordHash } from '../../src/airtime/record-hash';
import { Commune } from '../../src/communes/commune.entity';
import { Village } from '../../src/communes/village.entity';

/** A fresh commune with one village, so a test owns its chain alone in the shared database. */
export async function freshCommune(dataSource: DataSource): Promise<{ communeId: string; villageId: string }> {
  const commune = await dataSource.getRepository(Commune).save({ name: `Xã Kiểm Chứng ${randomUUID().slice(0, 8)}` });
  const village = await dataSource.getRepository(Village).save({ communeId: commune.id, name: 'Thôn Một' });
  return { communeId: commune.id, villageId: village.id };
}

/** A `finished` event of a made-up playback in that village; ids need not exist (the log has no foreign keys). */
export function entryIn(place: { communeId: string; villageId: string }, overrides: Partial<AirtimeEntry> = {}): AirtimeEntry {
  const scheduledAt = new Date(Date.UTC(2026, 9, 10, 6, 0, 0));
  return {
    communeId: place.communeId,
    villageId: place.villageId,
    speakerId: randomUUID(),
    playbackId: randomUUID(),
    event: 'finished',
    occurredAt: new Date(scheduledAt.getTime() + 95_000),
    audioSha256: 'ab'.repeat(32),
    scheduledAt,
    actualAt: new Date(scheduledAt.getTime() + 1200),
    onAirMs: 93_800,
    evidenceLevel: 'device_reported',
    evidence: { device: 'axis', answer: 'HTTP 200 after playback' },
    ...overrides,
  };
}

/** Runs `work` as the superuser with triggers off (session_replication_role = replica), as an attacker with full access would. */
export async function asSuperuserWithoutTriggers(dataSource: DataSource, work: (db: EntityManager) => Promise<unknown>): Promise<void> {
  await dataSource.transaction(async (db) => {
    await db.query('SET LOCAL session_replication_role = replica');
    await work(db);
  });
}

/** Recomputes every hash of a commune's chain from `fromSeq` on, as someone who knows the format would after editing it. */
export async function rehashChain(db: EntityManager, communeId: string, fromSeq = 1): Promise<void> {
  const rows = await db.query(`SELECT * FROM airtime_records WHERE commune_id = $1 AND seq >= $2 ORDER BY seq`, [communeId, fromSeq]);
  const before = await db.query(`SELECT hash FROM airtime_records WHERE commune_id = $1 AND seq = $2`, [communeId, fromSeq - 1]);
  let prev = (before[0]?.hash as string | undefined) ?? GENESIS_HASH;
  for (const row of rows) {
    const hash = recordHash(prev, contentOf(row as RecordRow));
    await db.query(`UPDATE airtime_records SET prev_hash = $3, hash = $4 WHERE commune_id = $1 AND seq = $2`, [communeId, row.seq, prev, hash]);
    prev = hash;
  }
}

/** Runs `npm run airtime:verify` against the run's database; answers its exit code and output. */
export function verifyCli(args: string[], environment: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['ts-node', '--transpile-only', 'src/airtime/verify.cli.ts', ...args], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, ...environment },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
