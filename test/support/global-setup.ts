import { createMigratedDatabase } from './migrated-database';

/** Creates a fresh database for this run and applies the real migrations once. */
export default async function globalSetup(): Promise<void> {
  const name = `loa_test_${process.pid}_${Date.now()}`;
  process.env.DATABASE_URL = await createMigratedDatabase(name);
  process.env.TEST_DATABASE_NAME = name;
}
