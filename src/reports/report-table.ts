/** How a column's values are written: text as is, counts as integers, durations in minutes, ratios as percentages. */
export type CellKind = 'text' | 'count' | 'minutes' | 'percent' | 'day' | 'datetime';

/** A value: text; a count; milliseconds for `minutes`; a 0–1 ratio for `percent`; `YYYY-MM-DD[ HH:MM:SS]` local. */
export type Cell = string | number | null;

export interface ReportColumn {
  header: string;
  kind: CellKind;
  /** Width in characters (xlsx) and relative width (pdf). */
  width: number;
}

/** One table of an export, independent of the format that prints it. */
export interface ReportTable {
  title: string;
  columns: ReportColumn[];
  rows: Cell[][];
}

export const minutesOf = (ms: number): number => Math.round(ms / 6_000) / 10;

const GROUPED = new Intl.NumberFormat('vi-VN');
const ONE_DECIMAL = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });
const ONE_DECIMAL_GROUPED = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** `YYYY-MM-DD[ HH:MM[:SS]]` as Vietnamese documents write it: 05/11/2026, 05/11/2026 06:00. */
export function vietnameseDateTime(local: string, withTime: boolean): string {
  const [day, time] = local.split(' ');
  const [year, month, date] = day.split('-');
  const text = `${date}/${month}/${year}`;
  return withTime && time ? `${text} ${time.slice(0, 5)}` : text;
}

/**
 * A cell as plain text, the Vietnamese way: decimal comma (1,5 phút; 93,2%), dates dd/mm/yyyy HH:mm in the commune's
 * zone. Files a spreadsheet reads (CSV) leave counts ungrouped, since "1.234" would be read as a decimal elsewhere;
 * the PDF groups thousands (14.400).
 */
export function cellText(cell: Cell, kind: CellKind, grouped = false): string {
  if (cell === null || cell === undefined || cell === '') return '';
  const decimal = grouped ? ONE_DECIMAL_GROUPED : ONE_DECIMAL;
  switch (kind) {
    case 'count':
      return grouped ? GROUPED.format(Number(cell)) : String(cell);
    case 'minutes':
      return decimal.format(minutesOf(Number(cell)));
    case 'percent':
      return `${decimal.format(Number(cell) * 100)}%`;
    case 'day':
      return vietnameseDateTime(String(cell), false);
    case 'datetime':
      return vietnameseDateTime(String(cell), true);
    default:
      return String(cell);
  }
}
