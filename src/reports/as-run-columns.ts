import { AsRunRecord } from './as-run-record';
import { evidenceLabel, priorityLabel, problemLabel, reasonLabel, statusLabel } from './report-labels';
import { Cell, ReportColumn, vietnameseDateTime } from './report-table';
import { PLAYED_WITH_PROBLEM } from './summary-aggregation';

/** The broadcast log's columns, in the order every file prints them. */
export const AS_RUN_COLUMNS: ReportColumn[] = [
  { header: 'Ngày', kind: 'day', width: 12 },
  { header: 'Giờ dự kiến', kind: 'datetime', width: 20 },
  { header: 'Thôn', kind: 'text', width: 20 },
  { header: 'Cụm loa', kind: 'text', width: 20 },
  { header: 'Chương trình', kind: 'text', width: 26 },
  { header: 'Bản tin', kind: 'text', width: 36 },
  { header: 'Chủ đề', kind: 'text', width: 24 },
  { header: 'Mức ưu tiên', kind: 'text', width: 13 },
  { header: 'Bắt đầu phát', kind: 'datetime', width: 20 },
  { header: 'Kết thúc phát', kind: 'datetime', width: 20 },
  { header: 'Thời lượng phát (phút)', kind: 'minutes', width: 12 },
  { header: 'Thời lượng đo được (phút)', kind: 'minutes', width: 12 },
  { header: 'Trạng thái', kind: 'text', width: 14 },
  { header: 'Lý do', kind: 'text', width: 28 },
  { header: 'Mức bằng chứng', kind: 'text', width: 20 },
  { header: 'Xác nhận của thôn', kind: 'text', width: 30 },
  { header: 'Sự cố được báo', kind: 'text', width: 30 },
  { header: 'Mã lượt phát', kind: 'text', width: 38 },
];

/** "05/11/2026 06:12 Nguyễn Văn A: note": when (commune's zone), who, what. */
function note(local: string | null, by: string | null, text: string | null): string {
  const at = local ? vietnameseDateTime(local, true) : null;
  return [at, by].filter(Boolean).join(' ') + (text ? `${at || by ? ': ' : ''}${text}` : '');
}

/** The reason's label, with its detail (a device's message, the attempts made) in brackets. */
function reasonCell(record: AsRunRecord): string {
  const label = reasonLabel(record.failure_code);
  if (!record.failure_detail) return label;
  return label ? `${label} (${record.failure_detail})` : record.failure_detail;
}

/** One log line as cells of AS_RUN_COLUMNS. */
export function asRunCells(record: AsRunRecord): Cell[] {
  const confirmed = record.confirmed_local || record.confirmation_note ? note(record.confirmed_local, record.confirmed_by, record.confirmation_note) : '';
  const problem = record.problem_kind ? `${problemLabel(record.problem_kind)} (${note(record.problem_local, record.problem_by, record.problem_note)})` : '';
  return [
    record.local_day,
    record.scheduled_local,
    record.village_name,
    record.speaker_name,
    record.schedule_title,
    record.bulletins ?? '',
    record.topics ?? '',
    priorityLabel(record.priority),
    record.started_local,
    record.finished_local,
    record.status === 'played' && record.program_ms !== null ? Number(record.program_ms) : null,
    record.on_air_ms === null ? null : Number(record.on_air_ms),
    statusLabel(record.status === 'played' && record.problem_kind ? PLAYED_WITH_PROBLEM : record.status),
    reasonCell(record),
    evidenceLabel(record.evidence_level),
    confirmed,
    problem,
    record.playback_id,
  ];
}
