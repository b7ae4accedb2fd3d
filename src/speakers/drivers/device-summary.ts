import type { DeviceSummary } from './speaker-driver';

const MAX_TEXT_CHARS = 200;
const MAX_FIELDS = 16;
// Control and bidi characters from a device would garble logs and reports.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** A device's text as it may be stored and shown: printable, single-line, at most 200 characters. */
export function printable(text: string): string {
  const clean = text.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > MAX_TEXT_CHARS ? `${clean.slice(0, MAX_TEXT_CHARS - 1)}…` : clean;
}

/**
 * The start of an answer body as text, for a health check's detail, which only admins read (whatever answers at a
 * speaker's address may serve a page of its own). Never for a playback: every role reads those.
 */
export function deviceText(body: Buffer): string {
  return printable(body.subarray(0, MAX_TEXT_CHARS * 4).toString('utf8'));
}

/** Keeps what a device said within bounds: at most 16 fields of finite numbers, booleans, null or short text. */
export function summarizeDevice(fields: Record<string, unknown>): DeviceSummary {
  const summary: DeviceSummary = {};
  for (const [key, value] of Object.entries(fields).slice(0, MAX_FIELDS)) {
    if (value === undefined) continue;
    if (value === null || typeof value === 'boolean') summary[key] = value;
    else if (typeof value === 'number') summary[key] = Number.isFinite(value) ? value : null;
    else summary[key] = printable(String(value));
  }
  return summary;
}
