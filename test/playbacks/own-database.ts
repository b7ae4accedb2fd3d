import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { adminDatabaseUrl, createMigratedDatabase } from '../support/migrated-database';

/**
 * A database of its own, migrated, for an app whose planner runs as in production (PLANNER=true: ticks and
 * re-plans over every commune, no filter). In the run's shared database it would plan other test files' schedules
 * into its own queue and play them.
 */
export async function ownDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${process.env.TEST_DATABASE_NAME ?? 'loa_test'}_own_${randomUUID().slice(0, 8)}`;
  const url = await createMigratedDatabase(name);
  return {
    url,
    async drop() {
      const client = new Client({ connectionString: adminDatabaseUrl() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
