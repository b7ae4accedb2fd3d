import { HttpException, HttpStatus, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ExportPool } from '../database/export-pool';
import { PlaybackRepository } from '../playbacks/playback-repository';
import { AsRunRecord } from './as-run-record';
import { ExportSlots } from './export-slots';
import { ReportRequest } from './report-request';

/** What a streamed export writes with: the broadcast log's lines, and how long its client may take nothing. */
export interface AsRunExport {
  batches: AsyncIterable<AsRunRecord[]>;
  stallTimeoutMs: number;
}

/**
 * Streamed exports of the broadcast log: each takes one of its account's slots and one connection of the export
 * pool before any byte is sent (429 and 503 are still clean answers), and frees both however it ends.
 */
@Injectable()
export class ReportExports {
  private readonly logger = new Logger(ReportExports.name);
  private readonly slots: ExportSlots;

  constructor(
    private readonly pool: ExportPool,
    private readonly playbacks: PlaybackRepository,
    private readonly config: AppConfig,
  ) {
    this.slots = new ExportSlots(config.exports.perUser);
  }

  async send(callerId: string, request: ReportRequest, write: (file: AsRunExport) => Promise<void>): Promise<void> {
    const free = this.slots.take(callerId);
    if (!free) {
      const { perUser } = this.config.exports;
      throw new HttpException(
        `You already have ${perUser} exports running, the most one account may run at once; wait until one has finished downloading (or cancel it) and try again`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    try {
      const connection = await this.pool.connect().catch((error: Error) => {
        this.logger.warn(`No export connection: ${error.message}`);
        const seconds = this.config.exports.stallTimeoutMs / 1000;
        throw new ServiceUnavailableException(
          `No export connection came free within ${seconds} s (other exports hold them all, or the database is not answering); try again in a minute`,
        );
      });
      const batches = this.playbacks.asRunBatches(request, connection);
      try {
        await write({ batches, stallTimeoutMs: this.config.exports.stallTimeoutMs });
      } finally {
        // Ends the cursor's transaction if the writer stopped before the last batch, then gives the connection back.
        await batches.return(undefined);
        connection.release();
      }
    } finally {
      free();
    }
  }
}
