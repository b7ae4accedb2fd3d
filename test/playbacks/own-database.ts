import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A database of its own, migrated, for an app whose planner runs as in production (PLANNER=true: ticks and
 * re-plans over every commune, no filter). In the run's shared database it would plan other test files' schedules
 * into its own queue and play them.
 */
export async function ownDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${process.env.TEST_DATABASE_NAME ?? 'loa_test'}_own_${randomUUID().slice(0, 8)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const dataSource = new DataSource(dataSourceOptions(AppConfig.fromEnvironment({ ...process.env, DATABASE_URL: url.toString() })));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
