/**
 * Characters no one types into a form, refused wherever text enters the service:
 * - C0 controls but TAB, LF and CR: NUL makes PostgreSQL refuse the text (and jsonb the whole document);
 *   the others are invisible and only ever arrive by accident or by attack.
 * - DEL and the C1 controls (U+0080 to U+009F): invisible too, and U+009B starts terminal escape sequences
 *   in whatever later prints the text; text pasted from a real document never holds them.
 * - An unpaired UTF-16 surrogate (`"\ud800"` in JSON): it has no UTF-8 form, so storing it would silently
 *   turn it into U+FFFD; refusing it keeps what is stored equal to what was sent.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF]/u;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'gu');

/** `U+0000` style name of a character. */
function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first forbidden character of `text` as `U+XXXX`, or null when the text is clean. */
export function forbiddenCharacterIn(text: string): string | null {
  const match = FORBIDDEN.exec(text);
  return match ? codePoint(match[0]) : null;
}

/** The text with each forbidden character written out as a visible `\uXXXX`, for messages and records. */
export function escapeForbiddenCharacters(text: string): string {
  return text.replace(FORBIDDEN_ALL, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A message naming `field` when `text` holds a forbidden character; null when it is clean. */
export function controlCharacterProblem(field: string, text: string): string | null {
  const found = forbiddenCharacterIn(text);
  if (!found) return null;
  return `${escapeForbiddenCharacters(field)} contains an invisible control character (${found}); remove it (retype the text rather than pasting it) and send again`;
}
