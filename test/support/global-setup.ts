import { loadLocalEnvironment } from '../../src/config/local-environment';
import { createMigratedDatabase } from './migrated-database';

/** What the suite takes from the machine's .env.local: the test role's server and Redis, never Loa's own databases. */
const FROM_LOCAL_ENVIRONMENT = ['TEST_ADMIN_DATABASE_URL', 'REDIS_URL'];

/** Creates a fresh database for this run and applies the real migrations once. */
export default async function globalSetup(): Promise<void> {
  const local: NodeJS.ProcessEnv = { ...process.env };
  loadLocalEnvironment(local);
  for (const name of FROM_LOCAL_ENVIRONMENT) if (local[name] !== undefined) process.env[name] = local[name];
  const name = `loa_test_${process.pid}_${Date.now()}`;
  process.env.DATABASE_URL = await createMigratedDatabase(name);
  process.env.TEST_DATABASE_NAME = name;
}
