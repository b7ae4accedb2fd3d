import { AS_RUN_COLUMNS, asRunCells } from './as-run-columns';
import { AsRunRecord } from './as-run-record';
import { csvField, csvHeader, csvLine, UTF8_BOM } from './csv-format';

/** The as-run CSV as text chunks: the heading lines and header first, then one chunk per batch read from the cursor. */
export async function* asRunCsv(heading: string[], batches: AsyncIterable<AsRunRecord[]>): AsyncGenerator<string> {
  yield UTF8_BOM + heading.map((line) => `${csvField(line)}\r\n`).join('') + csvHeader(AS_RUN_COLUMNS);
  for await (const batch of batches) yield batch.map((record) => csvLine(asRunCells(record), AS_RUN_COLUMNS)).join('');
}
