import { AirtimeChainHead } from '../airtime/airtime-ledger';
import { FilterNames, filtersOf, ReportCommune } from './report-request';
import { Grouping } from './report-period';
import { SummaryTables } from './summary-aggregation';

/** The summary as the JSON answer gives it, and as every export prints it. */
export interface SummaryReport extends SummaryTables {
  commune: ReportCommune;
  period: { from: string; to: string; groupBy: Grouping };
  filters: ReturnType<typeof filtersOf>;
  /** The filters by name, as the screen and every file's heading print them. */
  filterNames: FilterNames;
  /** The filters in words (filterLines), the lines every file's heading prints. */
  filterLines: string[];
  generatedAt: string;
  /** The commune's airtime chain when the report was read: every export states it so it can be checked later. */
  checkpoint: AirtimeChainHead;
}
