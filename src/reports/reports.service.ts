import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AirtimeChainHead, AirtimeLedger } from '../airtime/airtime-ledger';
import { decodeCursor } from '../common/keyset-cursor';
import { AsRunLine, nextCursor, toAsRunLine } from './as-run-line';
import { PlaybackRepository } from '../playbacks/playback-repository';
import { Grouping } from './report-period';
import { filtersOf, ReportCommune, ReportRequest } from './report-request';
import { programsOf, summarise } from './summary-aggregation';
import { SummaryReport } from './summary-report';
import { SummarySource } from './summary-source';
import { filterLines } from './report-filter-lines';

export interface AsRunPage {
  commune: ReportCommune;
  period: { from: string; to: string };
  filters: ReturnType<typeof filtersOf>;
  generatedAt: string;
  checkpoint: AirtimeChainHead;
  rows: AsRunLine[];
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
}

/** Builds reports from the playbacks, stating the airtime checkpoint each was read at. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly summaries: SummarySource,
    private readonly playbacks: PlaybackRepository,
    private readonly ledger: AirtimeLedger,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Read before the data, so everything the chain held at this point is in the report. */
  async checkpoint(communeId: string): Promise<AirtimeChainHead> {
    const [head] = await this.ledger.heads([communeId]);
    return head;
  }

  async summary(request: ReportRequest, grouping: Grouping): Promise<SummaryReport> {
    const checkpoint = await this.checkpoint(request.commune.id);
    const generatedAt = new Date().toISOString();
    const [counts, villages, filterNames] = await Promise.all([
      this.summaries.counts(request),
      this.summaries.villages(request),
      this.summaries.filterNames(request),
    ]);
    const programs = await this.summaries.programs(programsOf(counts));
    return {
      commune: request.commune,
      period: { from: request.from, to: request.to, groupBy: grouping },
      filters: filtersOf(request),
      filterNames,
      filterLines: filterLines(request, filterNames),
      generatedAt,
      checkpoint,
      ...summarise({ counts, programs, villages, from: request.from, to: request.to, grouping, topicIds: request.topicIds }),
    };
  }

  async asRunPage(request: ReportRequest, limit: number, after: string | undefined): Promise<AsRunPage> {
    const checkpoint = await this.checkpoint(request.commune.id);
    const generatedAt = new Date().toISOString();
    const records = await this.playbacks.asRunPage(request, limit + 1, after ? decodeCursor(after) : null);
    const page = records.slice(0, limit);
    return {
      commune: request.commune,
      period: { from: request.from, to: request.to },
      filters: filtersOf(request),
      generatedAt,
      checkpoint,
      rows: page.map((record) => toAsRunLine(record, request.commune.timezone)),
      next: records.length > limit ? nextCursor(page[page.length - 1]) : null,
    };
  }

  /** The filters in words, for an export's heading (see filterLines). */
  async filterLines(request: ReportRequest): Promise<string[]> {
    return filterLines(request, await this.summaries.filterNames(request));
  }

  /** Who prepared the report, as the PDF names them. */
  async displayName(userId: string, fallback: string): Promise<string> {
    const [row] = (await this.dataSource.query(`SELECT display_name FROM users WHERE id = $1`, [userId])) as Array<{ display_name: string }>;
    return row?.display_name ?? fallback;
  }
}
