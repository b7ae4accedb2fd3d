import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AirtimeEntry } from '../../src/airtime/airtime-ledger';
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
