import { DataSource } from 'typeorm';

/** A PostgreSQL advisory lock key, in the two-integer form: (namespace, lock). */
export type AdvisoryLockKey = readonly [number, number];

/** Loa's namespace of advisory locks ("Loa" in ASCII), so that they never meet another application's. */
export const LOA_LOCK_NAMESPACE = 0x4c6f61;

export type LockedRun<T> = { acquired: true; value: T } | { acquired: false };

/**
 * Runs `work` only if this process gets the session-level advisory lock `key` now (pg_try_advisory_lock, no
 * waiting), on a connection of its own that keeps the lock until `work` ends; answers `{acquired: false}` otherwise.
 */
export async function withAdvisoryLock<T>(dataSource: DataSource, key: AdvisoryLockKey, work: () => Promise<T>): Promise<LockedRun<T>> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [...key])) as [{ locked: boolean }];
    if (!locked) return { acquired: false };
    try {
      return { acquired: true, value: await work() };
    } finally {
      // Only a lost connection makes this fail, and with it PostgreSQL drops the lock and the pool the connection.
      await runner.query('SELECT pg_advisory_unlock($1, $2)', [...key]);
    }
  } finally {
    await runner.release();
  }
}
