import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';

/**
 * The server's maintenance database as the test role, which creates and drops the run's databases:
 * TEST_ADMIN_DATABASE_URL (from the environment or the .env.local scripts/prepare-machine.sh writes, read by the
 * global setup), else the local superuser.
 */
export function adminDatabaseUrl(): string {
  return process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** Creates the database `name` beside the admin one, applies the real migrations, and answers its URL. */
export async function createMigratedDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  const dataSource = new DataSource(dataSourceOptions(AppConfig.fromEnvironment({ ...process.env, DATABASE_URL: url.toString() }, [])));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  return url.toString();
}
