import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { loadLocalEnvironment } from '../config/local-environment';
import { dataSourceOptions } from './data-source-options';

loadLocalEnvironment();
// Migrations sign and encrypt nothing: no key is needed.
const config = AppConfig.fromEnvironment(process.env, []);

/** Entry point for the TypeORM CLI (`npm run migration:*`): as the owner when DATABASE_MIGRATION_URL is set. */
export default new DataSource(dataSourceOptions(config, config.database.owner?.url ?? config.database.url));
