import 'reflect-metadata';
import { AppConfig } from '../config/app-config';
import { loadLocalEnvironment } from '../config/local-environment';
import { prepareDatabaseAsOwner } from './prepare-database';

/**
 * `npm run db:prepare`: as DATABASE_MIGRATION_URL's owner, creates the database if missing, migrates it, and grants
 * DATABASE_URL's role the service's rights (creating the role if it may). For deployments that keep the owner's
 * credentials out of the running service entirely (then run the service with MIGRATIONS_RUN=false and no
 * DATABASE_MIGRATION_URL).
 */
async function main(): Promise<void> {
  loadLocalEnvironment();
  const config = AppConfig.fromEnvironment({ ...process.env, MIGRATIONS_RUN: 'true' }, []);
  if (!config.database.owner) throw new Error('Set DATABASE_MIGRATION_URL (the owner) and DATABASE_URL (the service role)');
  await prepareDatabaseAsOwner(config);
  process.stdout.write(`Database migrated; ${new URL(config.database.url).username} holds the service's grants\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
