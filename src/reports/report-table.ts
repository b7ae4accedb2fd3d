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

/** A cell as plain text (CSV, PDF): minutes with one decimal, percentages with one, Vietnamese dates. */
export function cellText(cell: Cell, kind: CellKind): string {
  if (cell === null || cell === undefined) return '';
  switch (kind) {
    case 'minutes':
      return minutesOf(Number(cell)).toFixed(1);
    case 'percent':
      return `${(Number(cell) * 100).toFixed(1)}%`;
    default:
      return String(cell);
  }
}
