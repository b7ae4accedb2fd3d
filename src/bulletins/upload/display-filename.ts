const MAX_DISPLAY_LENGTH = 255;

/**
 * The client's file name reduced to a harmless label: no directories, no control characters, bounded length.
 * Loa never uses it for paths or commands; it only helps people recognise their upload.
 */
export function displayFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // C0/C1 controls, and bidi overrides that would make "x\u202Egpj.exe" display as "xexe.jpg".
  const printable = base.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, '').trim();
  const label = Array.from(printable).slice(0, MAX_DISPLAY_LENGTH).join('');
  return label.length > 0 ? label : 'upload';
}
