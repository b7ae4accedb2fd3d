import { displayFilename } from './display-filename';

describe('displayFilename', () => {
  it('keeps an ordinary name as the user typed it', () => {
    expect(displayFilename('ban-tin-sang.mp3')).toBe('ban-tin-sang.mp3');
  });

  it('keeps Vietnamese diacritics', () => {
    expect(displayFilename('Thông báo tiêm phòng dại – Đội 3 (sáng thứ Hai).m4a')).toBe('Thông báo tiêm phòng dại – Đội 3 (sáng thứ Hai).m4a');
    expect(displayFilename('Lịch cắt điện ấp Phước Hưng.wav')).toBe('Lịch cắt điện ấp Phước Hưng.wav');
  });

  it('drops ../ and any directory', () => {
    expect(displayFilename('../../etc/passwd')).toBe('passwd');
    expect(displayFilename('/var/lib/loa/audio/originals/x.mp3')).toBe('x.mp3');
    expect(displayFilename('..')).toBe('..');
  });

  it('drops Windows directories given with backslashes', () => {
    expect(displayFilename('C:\\Users\\Lan\\Desktop\\bản tin.mp3')).toBe('bản tin.mp3');
    expect(displayFilename('..\\..\\windows\\win.ini')).toBe('win.ini');
    expect(displayFilename('\\\\server\\share\\loa.wav')).toBe('loa.wav');
  });

  it('becomes "upload" when only directories were given', () => {
    expect(displayFilename('../')).toBe('upload');
    expect(displayFilename('recordings/')).toBe('upload');
    expect(displayFilename('C:\\')).toBe('upload');
  });

  it('keeps a leading dash: the label is never an argument to a command', () => {
    expect(displayFilename('-rf.mp3')).toBe('-rf.mp3');
    expect(displayFilename('--help')).toBe('--help');
  });

  it('keeps colons, as in a time of day', () => {
    expect(displayFilename('Bản tin 07:30.mp3')).toBe('Bản tin 07:30.mp3');
    expect(displayFilename('C:ban-tin.mp3')).toBe('C:ban-tin.mp3');
  });

  it('removes NUL, which PostgreSQL text cannot store', () => {
    expect(displayFilename('ban\u0000tin.mp3')).toBe('bantin.mp3');
    expect(displayFilename('x.mp3\u0000.exe')).toBe('x.mp3.exe');
  });

  it('removes line breaks, tabs, escape and DEL, so the label cannot forge log lines or terminal output', () => {
    expect(displayFilename('ban tin\r\nlevel=error msg=forged.mp3')).toBe('ban tinlevel=error msg=forged.mp3');
    expect(displayFilename('a\tb\u001b[31mred\u007f.mp3')).toBe('ab[31mred.mp3');
  });

  it('removes C1 control characters', () => {
    expect(displayFilename('ban\u0085tin\u009b31m.mp3')).toBe('bantin31m.mp3');
  });

  it('removes bidi overrides that disguise the extension', () => {
    expect(displayFilename('ban-tin\u202Egpj.exe')).toBe('ban-tingpj.exe');
    expect(displayFilename('\u2066x\u2069.mp3')).toBe('x.mp3');
  });

  it('trims surrounding spaces', () => {
    expect(displayFilename('   bản tin.mp3  ')).toBe('bản tin.mp3');
  });

  it('becomes "upload" for an empty, blank or control-only name', () => {
    expect(displayFilename('')).toBe('upload');
    expect(displayFilename('   ')).toBe('upload');
    expect(displayFilename('\u0000\u0001\n')).toBe('upload');
  });

  it('cuts a 5,000-character name to 255 characters', () => {
    const label = displayFilename(`${'a'.repeat(5000)}.mp3`);
    expect(label).toBe('a'.repeat(255));
  });

  it('counts characters, not UTF-16 units, so diacritics and emoji are never cut in half', () => {
    const label = displayFilename('🔊'.repeat(5000));
    expect(Array.from(label)).toHaveLength(255);
    expect(label).toBe('🔊'.repeat(255));
    expect(() => encodeURIComponent(label)).not.toThrow();
    expect(displayFilename('đ'.repeat(5000))).toBe('đ'.repeat(255));
  });
});
