import { AirtimeChainHead } from '../airtime/airtime-ledger';
import { filtersOf, ReportCommune } from './report-request';
import { Grouping } from './report-period';
import { SummaryTables } from './summary-aggregation';

/** The summary as the JSON answer gives it, and as every export prints it. */
export interface SummaryReport extends SummaryTables {
  commune: ReportCommune;
  period: { from: string; to: string; groupBy: Grouping };
  filters: ReturnType<typeof filtersOf>;
  generatedAt: string;
  /** The commune's airtime chain when the report was read: every export states it so it can be checked later. */
  checkpoint: AirtimeChainHead;
}
