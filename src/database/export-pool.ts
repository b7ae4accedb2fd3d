import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Pool, PoolClient, PoolConfig } from 'pg';
import { AppConfig } from '../config/app-config';

/**
 * How export connections are opened: few, named apart in pg_stat_activity, each statement bounded, and a transaction
 * left idle (a stalled export this process failed to end) ended by PostgreSQL itself after twice the stall timeout.
 */
export function exportPoolOptions(config: AppConfig): PoolConfig {
  return {
    connectionString: config.database.url,
    application_name: `loa-${config.role}-exports`,
    max: config.exports.poolSize,
    connectionTimeoutMillis: config.exports.stallTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: config.exports.statementTimeoutMs,
    idle_in_transaction_session_timeout: 2 * config.exports.stallTimeoutMs,
  };
}

/** PostgreSQL connections for streamed exports, apart from the service's own pool, so that exports can never starve the API. */
@Injectable()
export class ExportPool implements OnApplicationShutdown {
  private readonly logger = new Logger(ExportPool.name);
  private readonly pool: Pool;

  constructor(config: AppConfig) {
    this.pool = new Pool(exportPoolOptions(config));
    // An idle connection that PostgreSQL ends must not end the process.
    this.pool.on('error', (error) => this.logger.warn(`An idle export connection failed: ${error.message}`));
  }

  /** A connection, waiting at most the stall timeout for one to come free; rejects when none did. */
  connect(): Promise<PoolClient> {
    return this.pool.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
