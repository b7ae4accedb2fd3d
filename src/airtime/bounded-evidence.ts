import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** Largest evidence payload kept whole, in characters of canonical JSON. */
export const EVIDENCE_MAX_CHARS = 4096;
/** What is kept of a larger payload, next to its length and SHA-256. */
export const EVIDENCE_EXCERPT_CHARS = 1024;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** In JSON.stringify's output: an escaped NUL or an escaped lone surrogate, the only text jsonb refuses. */
const UNSTORABLE_IN_JSON = /\\u(0000|d[89a-f])/i;

/** PostgreSQL's jsonb refuses NUL and unpaired surrogates; a device's answer may hold either. */
function storableText(text: string): string {
  return text.replace(/\u0000/g, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');
}

function storable(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), storable(item)]));
  }
  return value;
}

/**
 * The evidence as it is stored and hashed: plain JSON that jsonb keeps exactly, at most EVIDENCE_MAX_CHARS long.
 * A larger payload is replaced by an excerpt with the full payload's length and SHA-256; a value that is not JSON
 * at all (a cycle, a BigInt) is replaced by a note saying so, because losing the record would be worse.
 */
export function boundedEvidence(evidence: Record<string, unknown> | null): Record<string, unknown> | null {
  if (evidence === null || evidence === undefined) return null;
  let plain: unknown;
  let json: string;
  try {
    json = JSON.stringify(evidence);
    plain = JSON.parse(json);
  } catch (error) {
    return { unreadable: `the evidence was not JSON: ${(error as Error).message}`.slice(0, 200) };
  }
  // The common case (a device's short answer) costs one stringify and one parse: canonical JSON has the same length.
  if (UNSTORABLE_IN_JSON.test(json)) {
    plain = storable(plain);
    json = JSON.stringify(plain);
  }
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) return { value: plain };
  if (json.length <= EVIDENCE_MAX_CHARS) return plain as Record<string, unknown>;
  const text = canonicalJson(plain);
  return {
    truncated: true,
    chars: text.length,
    sha256: createHash('sha256').update(text).digest('hex'),
    excerpt: storableText(text.slice(0, EVIDENCE_EXCERPT_CHARS)),
  };
}
