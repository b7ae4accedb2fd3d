import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/app-config';
import { loadLocalEnvironment } from '../../src/config/local-environment';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { ensureDatabase } from '../../src/database/ensure-database';

/**
 * What a benchmark must undo, run once in reverse order: at its end, or on Ctrl+C / SIGTERM, so an interrupted
 * run leaves no scratch database, queue or key behind.
 */
export class Undo {
  private readonly steps: Array<() => Promise<unknown>> = [];
  private done: Promise<void> | null = null;
  private readonly onSignal = (): void => {
    console.error('\nInterrupted: cleaning up…');
    void this.run().finally(() => process.exit(130));
  };

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  push(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  run(): Promise<void> {
    return (this.done ??= (async () => {
      for (const step of this.steps.reverse()) await step().catch((error: unknown) => console.error(`cleanup: ${(error as Error).message}`));
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onSignal);
    })());
  }
}

/** A unique tag for one run's scratch names (database, queue prefix). */
export function runTag(): string {
  return `${Date.now().toString(36)}_${randomUUID().slice(0, 6)}`;
}

/**
 * The role benchmarks make their scratch databases with: the tests' (TEST_ADMIN_DATABASE_URL, from the environment or
 * the machine's `.env.local`: it may create databases), else the configured owner's or service's.
 */
export function benchServerUrl(config: AppConfig): string {
  const local: NodeJS.ProcessEnv = { ...process.env };
  loadLocalEnvironment(local);
  return local.TEST_ADMIN_DATABASE_URL ?? config.database.owner?.url ?? config.database.url;
}

/** The URL of a scratch database `name` on the server of `baseUrl`. */
export function scratchDatabaseUrl(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates the scratch database at `url` and has `undo` drop it (with whatever connections are left). */
export async function createScratchDatabase(url: string, undo: Undo): Promise<void> {
  await ensureDatabase(url);
  undo.push(async () => {
    const admin = new URL(url);
    const name = admin.pathname.slice(1);
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => client.end());
  });
}

/** Connects to the scratch database at `config`'s URL, applies the real migrations, and has `undo` disconnect. */
export async function openMigrated(config: AppConfig, undo: Undo): Promise<{ dataSource: DataSource; sql: Client }> {
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  undo.push(() => (dataSource.isInitialized ? dataSource.destroy() : Promise.resolve()));
  await dataSource.runMigrations();
  const sql = new Client({ connectionString: config.database.url });
  await sql.connect();
  undo.push(() => sql.end());
  return { dataSource, sql };
}
