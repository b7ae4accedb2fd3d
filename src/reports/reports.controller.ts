import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { asRunCsv } from './as-run-csv';
import { csvDocument } from './csv-format';
import { AsRunQueryDto, SummaryQueryDto } from './dto/report-query.dto';
import { REPORT_TITLE, renderSummaryPdf } from './pdf-report';
import { ReportExports } from './report-exports';
import { ReportRequest } from './report-request';
import { startFile, streamText, writeInto } from './report-response';
import { ReportScope } from './report-scope';
import { ReportsService } from './reports.service';
import { reportHeading, summaryTables } from './summary-tables';
import { writeWorkbook } from './xlsx-export';

const READERS = [Role.Admin, Role.Editor, Role.Approver, Role.Viewer, Role.Operator];

function basename(kind: string, request: ReportRequest): string {
  return `${kind}_${request.commune.code ?? request.commune.id.slice(0, 8)}_${request.from}_${request.to}`;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly scope: ReportScope,
    private readonly reports: ReportsService,
    private readonly exports: ReportExports,
  ) {}

  @Get('summary')
  @Allow(...READERS)
  @ApiOperation({ summary: 'Totals per period, village × topic, priority; compliance per village; problems with reasons (json, csv, xlsx, pdf)' })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf')
  async summary(@Query() query: SummaryQueryDto, @CurrentUser() caller: AuthUser, @Res() response: Response): Promise<void> {
    const request = await this.scope.resolve(query, caller);
    const report = await this.reports.summary(request, query.groupBy ?? 'day');
    const heading = reportHeading({ ...report, filters: report.filterLines });
    switch (query.format ?? 'json') {
      case 'json':
        response.json(report);
        return;
      case 'csv':
        startFile(response, 'csv', basename('bao-cao-tong-hop', request));
        response.send(csvDocument([REPORT_TITLE, ...heading], summaryTables(report)));
        return;
      case 'pdf': {
        const pdf = await renderSummaryPdf(report, await this.reports.displayName(caller.id, caller.username));
        startFile(response, 'pdf', basename('bao-cao', request));
        response.send(pdf);
        return;
      }
      case 'xlsx':
        await this.exports.send(caller.id, request, async ({ batches, stallTimeoutMs }) => {
          startFile(response, 'xlsx', basename('bao-cao', request));
          await writeInto(response, (output) =>
            writeWorkbook(output, { title: REPORT_TITLE, heading, summary: summaryTables(report), asRun: batches }, stallTimeoutMs),
          );
        });
        return;
    }
  }

  @Get('as-run')
  @Allow(...READERS)
  @ApiOperation({ summary: 'The broadcast log, one line per playback (json pages; csv and xlsx streamed whole)' })
  @ApiProduces('application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async asRun(@Query() query: AsRunQueryDto, @CurrentUser() caller: AuthUser, @Res() response: Response): Promise<void> {
    const request = await this.scope.resolve(query, caller);
    const format = query.format ?? 'json';
    if (format === 'json') {
      response.json(await this.reports.asRunPage(request, query.limit, query.after));
      return;
    }
    const checkpoint = await this.reports.checkpoint(request.commune.id);
    const filters = await this.reports.filterLines(request);
    const heading = reportHeading({ commune: request.commune, period: request, filters, generatedAt: new Date().toISOString(), checkpoint });
    await this.exports.send(caller.id, request, async ({ batches, stallTimeoutMs }) => {
      startFile(response, format, basename('nhat-ky-phat', request));
      if (format === 'xlsx') {
        await writeInto(response, (output) => writeWorkbook(output, { title: REPORT_TITLE, heading, summary: null, asRun: batches }, stallTimeoutMs));
        return;
      }
      await streamText(response, asRunCsv([`NHẬT KÝ PHÁT - ${REPORT_TITLE}`, ...heading], batches), stallTimeoutMs);
    });
  }
}
