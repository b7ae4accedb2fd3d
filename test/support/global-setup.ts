import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates a fresh database for this run and applies the real migrations once. */
export default async function globalSetup(): Promise<void> {
  const name = `loa_test_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();

  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.TEST_DATABASE_NAME = name;

  const dataSource = new DataSource(dataSourceOptions(AppConfig.fromEnvironment({ ...process.env, DATABASE_URL: url.toString() })));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
}
