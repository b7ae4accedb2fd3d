import { Cell, cellText, ReportColumn, ReportTable } from './report-table';

/** Excel reads a CSV as UTF-8 (and shows Vietnamese) only when it starts with a byte order mark. */
export const UTF8_BOM = '\uFEFF';

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs a cell as a formula. */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: Cell[], columns: ReportColumn[]): string {
  return cells.map((cell, index) => csvField(cellText(cell, columns[index].kind))).join(',') + '\r\n';
}

export function csvHeader(columns: ReportColumn[]): string {
  return columns.map((column) => csvField(column.header)).join(',') + '\r\n';
}

/** Heading lines, then each table with its title and header, separated by blank lines. */
export function csvDocument(heading: string[], tables: ReportTable[]): string {
  const parts = heading.map((line) => `${csvField(line)}\r\n`);
  for (const table of tables) {
    parts.push('\r\n', `${csvField(table.title)}\r\n`, csvHeader(table.columns));
    for (const row of table.rows) parts.push(csvLine(row, table.columns));
  }
  return UTF8_BOM + parts.join('');
}
