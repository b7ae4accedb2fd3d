import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { prepareDatabaseAsOwner } from './prepare-database';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        // Before the service's own connection: as the owner, migrate and grant (when DATABASE_MIGRATION_URL is set).
        await prepareDatabaseAsOwner(config);
        return {
          ...dataSourceOptions(config),
          migrationsRun: config.database.migrationsRun,
          autoLoadEntities: false,
          retryAttempts: 3,
          retryDelay: 1000,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
