import { existsSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { DateTime } from 'luxon';
import { vietnameseDate } from './report-period';
import { cellText, ReportTable } from './report-table';
import { chainFingerprint } from './chain-fingerprint';
import { zoneInWords } from './zone-names';
import { SummaryReport } from './summary-report';
import { summaryTables } from './summary-tables';

export const REPORT_TITLE = 'BÁO CÁO KẾT QUẢ HOẠT ĐỘNG TRUYỀN THANH';

/** DejaVu Serif ships in assets/fonts (with its licence): it has every Vietnamese glyph and is embedded in the PDF. */
function fontsDir(): string {
  const candidates = [join(__dirname, '..', '..', 'assets', 'fonts'), join(__dirname, '..', '..', '..', 'assets', 'fonts')];
  const found = candidates.find((dir) => existsSync(join(dir, 'DejaVuSerif.ttf')));
  if (!found) throw new Error(`The report font DejaVuSerif.ttf is missing from ${candidates.join(' and ')}`);
  return found;
}

const MARGIN = { top: 56, bottom: 56, left: 62, right: 42 };
const TABLE_FONT_SIZE = 8;
const CELL_PADDING = 3;

/** The summary as a Vietnamese administrative report (A4): heading, title, period, tables, signature block. */
export async function renderSummaryPdf(report: SummaryReport, preparedBy: string): Promise<Buffer> {
  const dir = fontsDir();
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    info: { Title: `${REPORT_TITLE} - ${report.commune.name}`, Author: report.commune.name, Creator: 'Loa' },
  });
  doc.registerFont('regular', join(dir, 'DejaVuSerif.ttf'));
  doc.registerFont('bold', join(dir, 'DejaVuSerif-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const issued = DateTime.fromISO(report.generatedAt).setZone(report.commune.timezone);
  heading(doc, report, width, issued);
  doc.moveDown(1.5);
  doc.font('bold').fontSize(14).text(REPORT_TITLE, MARGIN.left, doc.y, { width, align: 'center' });
  doc
    .font('regular')
    .fontSize(11)
    .text(`Kỳ báo cáo: từ ngày ${vietnameseDate(report.period.from)} đến ngày ${vietnameseDate(report.period.to)}`, { width, align: 'center' });
  doc.moveDown(1);
  doc.fontSize(10).text('Phạm vi báo cáo:', MARGIN.left, doc.y, { width });
  for (const line of report.filterLines) doc.text(`- ${line}`, { width });
  doc.moveDown(0.5);
  doc.text(`Số liệu lấy từ nhật ký phát sóng của hệ thống Loa, tính theo ngày lịch ${zoneInWords(report.commune.timezone)}.`, { width });
  doc.text(`Mốc nhật ký phát sóng: ${report.checkpoint.length} bản ghi; dấu vân tay ${chainFingerprint(report.checkpoint.headHash)} (mã đầy đủ ở Phụ lục).`, {
    width,
  });
  for (const table of summaryTables(report)) drawTable(doc, table, width);
  signature(doc, width, issued, preparedBy);
  annex(doc, report, width);

  const pages = doc.bufferedPageRange();
  for (let index = 0; index < pages.count; index++) {
    doc.switchToPage(pages.start + index);
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(8)
      .text(`Trang ${index + 1}/${pages.count}`, MARGIN.left, doc.page.height - 36, { width, align: 'center' });
    doc.page.margins.bottom = MARGIN.bottom;
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

function heading(doc: PDFKit.PDFDocument, report: SummaryReport, width: number, issued: DateTime): void {
  const left = width * 0.42;
  const rightX = MARGIN.left + left;
  const right = width - left;
  const top = MARGIN.top;
  doc.font('regular').fontSize(11).text('ỦY BAN NHÂN DÂN', MARGIN.left, top, { width: left, align: 'center' });
  doc.font('bold').text(report.commune.name.toLocaleUpperCase('vi'), { width: left, align: 'center' });
  const underUnit = doc.y + 2;
  doc
    .moveTo(MARGIN.left + left / 2 - 30, underUnit)
    .lineTo(MARGIN.left + left / 2 + 30, underUnit)
    .stroke();
  doc
    .font('regular')
    .fontSize(10)
    .text('Số:        /BC-UBND', MARGIN.left, underUnit + 8, { width: left, align: 'center' });
  const afterLeft = doc.y;

  doc.font('bold').fontSize(11).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, { width: right, align: 'center' });
  doc.text('Độc lập - Tự do - Hạnh phúc', { width: right, align: 'center' });
  const underMotto = doc.y + 2;
  doc
    .moveTo(rightX + right / 2 - 75, underMotto)
    .lineTo(rightX + right / 2 + 75, underMotto)
    .stroke();
  doc
    .font('regular')
    .fontSize(10)
    .text(`${placeName(report.commune.name)}, ngày ${issued.toFormat('dd')} tháng ${issued.toFormat('MM')} năm ${issued.toFormat('yyyy')}`, rightX, underMotto + 8, {
      width: right,
      align: 'center',
    });
  doc.y = Math.max(afterLeft, doc.y);
}

/** "Xã Việt An" is dated "Việt An, ngày …". */
function placeName(communeName: string): string {
  return communeName.replace(/^(xã|phường|thị trấn)\s+/i, '');
}

function drawTable(doc: PDFKit.PDFDocument, table: ReportTable, width: number): void {
  const total = table.columns.reduce((sum, column) => sum + column.width, 0);
  const widths = table.columns.map((column) => (column.width / total) * width);
  const bottom = () => doc.page.height - MARGIN.bottom;

  const rowHeight = (texts: string[], font: string) => {
    doc.font(font).fontSize(TABLE_FONT_SIZE);
    return Math.max(...texts.map((text, index) => doc.heightOfString(text || ' ', { width: widths[index] - 2 * CELL_PADDING }))) + 2 * CELL_PADDING;
  };
  const drawRow = (texts: string[], font: string, y: number, height: number, shade: boolean) => {
    let x = MARGIN.left;
    texts.forEach((text, index) => {
      if (shade) doc.rect(x, y, widths[index], height).fillAndStroke('#e8eef7', '#000000').fillColor('#000000');
      else doc.rect(x, y, widths[index], height).stroke();
      const numeric = table.columns[index].kind !== 'text' && !shade;
      doc
        .font(font)
        .fontSize(TABLE_FONT_SIZE)
        .text(text, x + CELL_PADDING, y + CELL_PADDING, { width: widths[index] - 2 * CELL_PADDING, align: numeric ? 'right' : shade ? 'center' : 'left' });
      x += widths[index];
    });
  };

  const headers = table.columns.map((column) => column.header);
  const headerHeight = rowHeight(headers, 'bold');
  doc.lineWidth(0.5);
  if (doc.y + 30 + headerHeight + 20 > bottom()) doc.addPage();
  else doc.moveDown(1);
  doc.font('bold').fontSize(11).text(table.title, MARGIN.left, doc.y, { width });
  let y = doc.y + 4;
  drawRow(headers, 'bold', y, headerHeight, true);
  y += headerHeight;
  const rows = table.rows.length
    ? table.rows.map((row) => row.map((cell, index) => cellText(cell, table.columns[index].kind, true)))
    : [['Không có', ...headers.slice(1).map(() => '')]];
  for (const texts of rows) {
    const height = rowHeight(texts, 'regular');
    if (y + height > bottom()) {
      doc.addPage();
      y = MARGIN.top;
      drawRow(headers, 'bold', y, headerHeight, true);
      y += headerHeight;
    }
    drawRow(texts, 'regular', y, height, false);
    y += height;
  }
  doc.x = MARGIN.left;
  doc.y = y;
}

/** The full airtime chain head, for whoever checks the report against the chain (the body gives its fingerprint). */
function annex(doc: PDFKit.PDFDocument, report: SummaryReport, width: number): void {
  if (doc.y + 80 > doc.page.height - MARGIN.bottom) doc.addPage();
  doc.font('bold').fontSize(11).text('PHỤ LỤC. MỐC NHẬT KÝ PHÁT SÓNG', MARGIN.left, doc.y, { width });
  doc.font('regular').fontSize(9).text(`Số bản ghi: ${report.checkpoint.length}. Mã băm cuối (SHA-256) đầy đủ, để đối chiếu với nhật ký phát sóng:`, { width });
  doc.fontSize(8).text(report.checkpoint.headHash || '—', { width });
}

function signature(doc: PDFKit.PDFDocument, width: number, issued: DateTime, preparedBy: string): void {
  const half = width / 2;
  if (doc.y + 150 > doc.page.height - MARGIN.bottom) doc.addPage();
  else doc.moveDown(2);
  const top = doc.y;
  doc.font('bold').fontSize(10).text('Nơi nhận:', MARGIN.left, top, { width: half });
  doc.font('regular').fontSize(9).text('- UBND thành phố (để báo cáo);\n- Lãnh đạo UBND xã;\n- Lưu: VT, VHXH.', { width: half });
  doc.text(`Người lập: ${preparedBy}, lúc ${issued.toFormat('HH:mm dd/MM/yyyy')}`, { width: half });
  doc
    .font('bold')
    .fontSize(11)
    .text('TM. ỦY BAN NHÂN DÂN', MARGIN.left + half, top, { width: half, align: 'center' });
  doc.text('CHỦ TỊCH', { width: half, align: 'center' });
  doc.font('regular').fontSize(9).text('(Ký, ghi rõ họ tên và đóng dấu)', { width: half, align: 'center' });
  // Room for the signature and the seal.
  doc.moveDown(5);
}
