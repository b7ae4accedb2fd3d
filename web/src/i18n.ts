import { EN } from './i18n-en';

/**
 * A small dictionary-based translation: the Vietnamese text is the key (so the code reads as the screen does),
 * English comes from `EN`. Vietnamese is the default; the choice is remembered in localStorage.
 */
export type Lang = 'vi' | 'en';

const LANG_KEY = 'loa.lang';

export function lang(): Lang {
  return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
}

export function setLang(value: Lang): void {
  localStorage.setItem(LANG_KEY, value);
  document.documentElement.lang = value;
}

/** The text in the chosen language, with `{name}` placeholders filled from `params`. */
export function t(text: string, params: Record<string, string | number> = {}): string {
  const template = lang() === 'en' ? (EN[text] ?? text) : text;
  return template.replace(/\{(\w+)\}/g, (whole: string, name: string) => (name in params ? String(params[name]) : whole));
}

/** Translates a text only when the whole of it is a dictionary entry: names and numbers from the API pass unchanged. */
export function known(text: string): string {
  return lang() === 'en' ? (EN[text] ?? text) : text;
}
