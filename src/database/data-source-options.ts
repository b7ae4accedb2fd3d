import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';

/**
 * The one description of Loa's database, used by the service and by the TypeORM CLI alike; `url` is the owner's
 * connection when migrating as the owner (DATABASE_MIGRATION_URL).
 */
export function dataSourceOptions(config: AppConfig, url = config.database.url): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, '..', '..', 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    applicationName: `loa-${config.role}`,
    extra: { max: 10 },
  };
}
