const MAX_DISPLAY_LENGTH = 255;

/**
 * The client's file name reduced to a harmless label: no directories, no control characters, bounded length.
 * Loa never uses it for paths or commands; it only helps people recognise their upload.
 */
export function displayFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const printable = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  const label = Array.from(printable).slice(0, MAX_DISPLAY_LENGTH).join('');
  return label.length > 0 ? label : 'upload';
}
