import { DateTime } from 'luxon';
import { periodLabel, vietnameseDate } from './report-period';
import { priorityLabel, problemLabel, reasonLabel, statusLabel } from './report-labels';
import { chainFingerprint } from './chain-fingerprint';
import { zoneInWords } from './zone-names';
import { Cell, ReportColumn, ReportTable } from './report-table';
import { PLAYED_WITH_PROBLEM, StatusTotals } from './summary-aggregation';
import { SummaryReport } from './summary-report';

const STATUS_COLUMNS: ReportColumn[] = [
  { header: 'Kế hoạch', kind: 'count', width: 10 },
  { header: 'Đã phát', kind: 'count', width: 10 },
  { header: 'Đã phát, có sự cố', kind: 'count', width: 10 },
  { header: 'Lỗi', kind: 'count', width: 8 },
  { header: 'Bỏ lỡ', kind: 'count', width: 8 },
  { header: 'Dừng hoặc nhường phát khẩn cấp', kind: 'count', width: 11 },
  { header: 'Đã hủy', kind: 'count', width: 8 },
  { header: 'Chưa đến giờ', kind: 'count', width: 10 },
  { header: 'Tỷ lệ thực hiện', kind: 'percent', width: 11 },
  { header: 'Thời lượng phát (phút)', kind: 'minutes', width: 12 },
];

function statusCells(totals: StatusTotals): Cell[] {
  return [
    totals.planned,
    totals.played,
    totals.playedWithProblem,
    totals.failed,
    totals.missed,
    totals.preempted,
    totals.cancelled,
    totals.pending,
    totals.compliance,
    totals.onAirMs,
  ];
}

/** The summary's tables in the order the report prints them. */
export function summaryTables(report: SummaryReport): ReportTable[] {
  const grouping = report.period.groupBy;
  return [
    {
      title: 'I. Tổng hợp chung',
      columns: [{ header: 'Phạm vi', kind: 'text', width: 22 }, ...STATUS_COLUMNS],
      rows: [['Tổng cộng', ...statusCells(report.totals)]],
    },
    {
      title: `II. Theo ${grouping === 'day' ? 'ngày' : grouping === 'week' ? 'tuần' : 'tháng'}`,
      columns: [{ header: 'Kỳ', kind: 'text', width: 22 }, ...STATUS_COLUMNS],
      rows: report.periods.map((row) => [periodLabel(row.period, grouping), ...statusCells(row)]),
    },
    {
      title: 'III. Tỷ lệ thực hiện theo thôn',
      columns: [{ header: 'Thôn', kind: 'text', width: 22 }, ...STATUS_COLUMNS],
      rows: report.villages.map((row) => [row.villageName, ...statusCells(row)]),
    },
    {
      title: 'IV. Số lượt và thời lượng phát theo thôn và chủ đề',
      columns: [
        { header: 'Thôn', kind: 'text', width: 22 },
        { header: 'Chủ đề', kind: 'text', width: 34 },
        { header: 'Số lượt phát', kind: 'count', width: 12 },
        { header: 'Thời lượng phát (phút)', kind: 'minutes', width: 14 },
      ],
      rows: report.villageTopics.map((row) => [row.villageName, row.topicName, row.broadcasts, row.onAirMs]),
    },
    {
      title: 'V. Theo mức ưu tiên',
      columns: [{ header: 'Mức ưu tiên', kind: 'text', width: 22 }, ...STATUS_COLUMNS],
      rows: report.priorities.map((row) => [priorityLabel(row.priority), ...statusCells(row)]),
    },
    {
      title: 'VI. Lượt phát có sự cố, lỗi, bỏ lỡ, bị dừng hoặc ngắt và nguyên nhân',
      columns: [
        { header: 'Trạng thái', kind: 'text', width: 16 },
        { header: 'Nguyên nhân', kind: 'text', width: 50 },
        { header: 'Số lượt', kind: 'count', width: 10 },
      ],
      rows: report.problems.map((row) => [
        statusLabel(row.status),
        (row.status === PLAYED_WITH_PROBLEM ? problemLabel(row.reason) : reasonLabel(row.reason)) || 'Không rõ',
        row.count,
      ]),
    },
  ];
}

/** What a heading states: the commune, period, filters in words (filterLines), when, and the airtime checkpoint. */
export interface HeadingFacts {
  commune: SummaryReport['commune'];
  period: { from: string; to: string };
  filters: string[];
  generatedAt: string;
  checkpoint: SummaryReport['checkpoint'];
}

/** The lines that head every spreadsheet export (the PDF lays out the same facts itself, see pdf-report.ts). */
export function reportHeading(facts: HeadingFacts): string[] {
  return [
    `Đơn vị: ${facts.commune.name}`,
    `Kỳ báo cáo: từ ngày ${vietnameseDate(facts.period.from)} đến ngày ${vietnameseDate(facts.period.to)} (${zoneInWords(facts.commune.timezone)})`,
    ...facts.filters,
    `Lập lúc: ${DateTime.fromISO(facts.generatedAt).setZone(facts.commune.timezone).toFormat('dd/MM/yyyy HH:mm')}`,
    `Mốc nhật ký phát sóng: ${facts.checkpoint.length} bản ghi, dấu vân tay ${chainFingerprint(facts.checkpoint.headHash)} (mã băm cuối đầy đủ: ${facts.checkpoint.headHash})`,
  ];
}
