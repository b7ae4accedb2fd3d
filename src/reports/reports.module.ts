import { Module } from '@nestjs/common';
import { AirtimeModule } from '../airtime/airtime.module';
import { AsRunSource } from './as-run-source';
import { ReportScope } from './report-scope';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { SummarySource } from './summary-source';

/** Read-only reports for leadership: summaries and the broadcast log, as JSON, CSV, XLSX and PDF. */
@Module({
  imports: [AirtimeModule],
  controllers: [ReportsController],
  providers: [ReportScope, SummarySource, AsRunSource, ReportsService],
})
export class ReportsModule {}
