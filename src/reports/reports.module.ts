import { Module } from '@nestjs/common';
import { AirtimeModule } from '../airtime/airtime.module';
import { ExportPoolModule } from '../database/export-pool.module';
import { PlaybackRepositoryModule } from '../playbacks/playback-repository.module';
import { ReportExports } from './report-exports';
import { ReportScope } from './report-scope';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { SummarySource } from './summary-source';

/** Read-only reports for leadership: summaries and the broadcast log, as JSON, CSV, XLSX and PDF. */
@Module({
  imports: [AirtimeModule, PlaybackRepositoryModule, ExportPoolModule],
  controllers: [ReportsController],
  providers: [ReportScope, SummarySource, ReportsService, ReportExports],
})
export class ReportsModule {}
