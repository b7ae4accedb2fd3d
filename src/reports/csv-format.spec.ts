import { csvDocument, csvField, csvLine, UTF8_BOM } from './csv-format';

describe('CSV for Excel', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvField('Thôn Phú Mỹ')).toBe('Thôn Phú Mỹ');
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('dòng 1\ndòng 2')).toBe('"dòng 1\ndòng 2"');
  });

  it('never lets a spreadsheet run a cell as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('writes minutes with one decimal and ratios as percentages, with a decimal comma, and dates dd/mm/yyyy HH:mm', () => {
    const columns = [
      { header: 'Thôn', kind: 'text' as const, width: 10 },
      { header: 'Phút', kind: 'minutes' as const, width: 10 },
      { header: 'Tỷ lệ', kind: 'percent' as const, width: 10 },
      { header: 'Lượt', kind: 'count' as const, width: 10 },
    ];
    expect(csvLine(['Thôn A', 90_000, 0.9322, 3], columns)).toBe('Thôn A,"1,5","93,2%",3\r\n');
    expect(csvLine(['Thôn A', 24_000, 0.7333, 12_345], columns)).toBe('Thôn A,"0,4","73,3%",12345\r\n');
    const times = [
      { header: 'Ngày', kind: 'day' as const, width: 10 },
      { header: 'Giờ', kind: 'datetime' as const, width: 10 },
    ];
    expect(csvLine(['2026-11-05', '2026-11-05 06:00:07'], times)).toBe('05/11/2026,05/11/2026 06:00\r\n');
    expect(csvLine(['Thôn A', null, null, 0], columns)).toBe('Thôn A,,,0\r\n');
  });

  it('starts with a byte order mark so Excel reads UTF-8', () => {
    const text = csvDocument(['Đơn vị: Xã Việt An'], [{ title: 'I', columns: [{ header: 'Thôn', kind: 'text', width: 1 }], rows: [['Thôn Phú Mỹ']] }]);
    expect(text.startsWith(UTF8_BOM)).toBe(true);
    expect(text).toContain('Thôn\r\nThôn Phú Mỹ\r\n');
  });
});
