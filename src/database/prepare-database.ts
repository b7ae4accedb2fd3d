import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { ensureDatabase } from './ensure-database';
import { ensureServiceRole, grantServiceRole, loginOf } from './service-role';

/**
 * What the owner does before the service connects when DATABASE_MIGRATION_URL is set: create the database if
 * missing, apply the migrations, then make sure DATABASE_URL's role exists and holds exactly the service's grants.
 * The owner's connection is closed afterwards; the service never queries through it.
 */
export async function prepareDatabaseAsOwner(config: AppConfig): Promise<void> {
  const owner = config.database.owner;
  if (!owner) return;
  if (owner.createIfMissing) await ensureDatabase(owner.url);
  if (!owner.migrationsRun) return;
  const dataSource = new DataSource(dataSourceOptions(config, owner.url));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const service = loginOf(config.database.url);
    if (service.role === loginOf(owner.url).role) return;
    await ensureServiceRole(dataSource.manager, service.role, service.password);
    await grantServiceRole(dataSource.manager, service.role);
  } finally {
    await dataSource.destroy();
  }
}
