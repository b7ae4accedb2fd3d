import ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import { AS_RUN_COLUMNS, asRunCells } from './as-run-columns';
import { AsRunRecord } from './as-run-record';
import { drained } from './report-response';
import { Cell, CellKind, minutesOf, ReportColumn, ReportTable } from './report-table';

const NUMBER_FORMAT: Partial<Record<CellKind, string>> = {
  count: '#,##0',
  minutes: '#,##0.0',
  percent: '0.0%',
  day: 'dd/mm/yyyy',
  datetime: 'dd/mm/yyyy hh:mm',
};

/** Excel opens at most 1,048,576 rows a sheet: a longer log continues on "Nhật ký phát (2)", and so on. */
const MAX_SHEET_LINES = 1_000_000;

/** Excel has no time zones: a local wall time is stored as that same wall time. */
function wallTime(local: string): Date {
  return new Date(`${local.length === 10 ? `${local}T00:00:00` : local.replace(' ', 'T')}Z`);
}

function xlsxValue(cell: Cell, kind: CellKind): ExcelJS.CellValue {
  if (cell === null || cell === undefined || cell === '') return null;
  if (kind === 'minutes') return minutesOf(Number(cell));
  if (kind === 'day' || kind === 'datetime') return wallTime(String(cell));
  return cell;
}

function addRow(sheet: ExcelJS.Worksheet, cells: Cell[], columns: ReportColumn[]): void {
  const row = sheet.addRow(cells.map((cell, index) => xlsxValue(cell, columns[index].kind)));
  columns.forEach((column, index) => {
    const format = NUMBER_FORMAT[column.kind];
    if (format) row.getCell(index + 1).numFmt = format;
  });
  row.commit();
}

function addHeader(sheet: ExcelJS.Worksheet, headers: string[]): void {
  const row = sheet.addRow(headers);
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: 'middle' };
  row.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  row.commit();
}

function addHeading(sheet: ExcelJS.Worksheet, heading: string[]): void {
  heading.forEach((line, index) => {
    const row = sheet.addRow([line]);
    if (index === 0) row.font = { bold: true, size: 13 };
    row.commit();
  });
}

/**
 * A workbook streamed to `output`: optionally the summary sheet "Tổng hợp", then the as-run sheet "Nhật ký phát"
 * fed batch by batch, waiting for the client whenever the response is full (at most `stallTimeoutMs`).
 */
export async function writeWorkbook(
  output: Writable,
  content: { title: string; heading: string[]; summary: ReportTable[] | null; asRun: AsyncIterable<AsRunRecord[]> },
  stallTimeoutMs: number,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Loa';
  if (content.summary) {
    const widest = Math.max(...content.summary.map((table) => table.columns.length));
    const sheet = workbook.addWorksheet('Tổng hợp', { views: [{ state: 'frozen', ySplit: content.heading.length + 1 }] });
    sheet.columns = Array.from({ length: widest }, (_, index) => ({
      width: Math.max(...content.summary!.map((table) => table.columns[index]?.width ?? 10)) + 2,
    }));
    addHeading(sheet, [content.title, ...content.heading]);
    for (const table of content.summary) {
      sheet.addRow([]).commit();
      const title = sheet.addRow([table.title]);
      title.font = { bold: true };
      title.commit();
      addHeader(
        sheet,
        table.columns.map((column) => column.header),
      );
      for (const row of table.rows) addRow(sheet, row, table.columns);
    }
    sheet.commit();
  }

  const openLog = (part: number): ExcelJS.Worksheet => {
    const sheet = workbook.addWorksheet(part === 1 ? 'Nhật ký phát' : `Nhật ký phát (${part})`, {
      views: [{ state: 'frozen', ySplit: content.heading.length + 2 }],
    });
    sheet.columns = AS_RUN_COLUMNS.map((column) => ({ width: column.width }));
    addHeading(sheet, [`${content.title} - NHẬT KÝ PHÁT`, ...content.heading]);
    addHeader(
      sheet,
      AS_RUN_COLUMNS.map((column) => column.header),
    );
    return sheet;
  };
  let part = 1;
  let log = openLog(part);
  let lines = 0;
  for await (const batch of content.asRun) {
    for (const record of batch) {
      if (lines === MAX_SHEET_LINES) {
        log.commit();
        log = openLog(++part);
        lines = 0;
      }
      addRow(log, asRunCells(record), AS_RUN_COLUMNS);
      lines++;
    }
    if (output.destroyed) throw new Error('the client went away');
    if (output.writableNeedDrain) await drained(output, stallTimeoutMs);
  }
  log.commit();
  await workbook.commit();
}
