import { controlCharacterProblem, escapeForbiddenCharacters, forbiddenCharacterIn } from './forbidden-characters';

describe('forbidden characters', () => {
  it('lets Vietnamese text, emoji, tabs and line breaks through', () => {
    for (const text of ['Thôn Phú Mỹ', 'Bản tin\tsáng\r\nchiều', '📢 loa', '']) expect(forbiddenCharacterIn(text)).toBeNull();
  });

  it('names NUL, other C0 controls, DEL, C1 controls and unpaired surrogates', () => {
    expect(['a\u0000', '\u0001', '\u001f', '\u007f', '\u009b', 'x\ud800', '\udc00y'].map(forbiddenCharacterIn)).toEqual([
      'U+0000',
      'U+0001',
      'U+001F',
      'U+007F',
      'U+009B',
      'U+D800',
      'U+DC00',
    ]);
  });

  it('writes them out visibly and names the field in the message', () => {
    expect(escapeForbiddenCharacters('a\u0000b\u009b😀')).toBe('a\\u0000b\\u009b😀');
    expect(controlCharacterProblem('na\u0000me', 'x')).toBeNull();
    expect(controlCharacterProblem('title', 'Bản\u0000tin')).toMatch(/^title contains an invisible control character \(U\+0000\)/);
  });
});
