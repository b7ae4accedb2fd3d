/** HTTP Digest access authentication (RFC 7616), client side: challenge parsing and the Authorization answer. */
import { createHash } from 'node:crypto';

export const DIGEST_ALGORITHMS = ['SHA-256', 'SHA-256-sess', 'MD5', 'MD5-sess'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | null;
  /** `auth` when the server offers it; null for an RFC 2069 server that offers no qop. */
  qop: 'auth' | null;
  algorithm: DigestAlgorithm;
  /** The server refused only the nonce (expired), not the credentials. */
  stale: boolean;
}

export interface AuthChallenge {
  scheme: string;
  params: Map<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;
const AUTH_PARAM = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*("(?:[^"\\]|\\.)*"|[!#$%&'*+\-.^_`|~0-9A-Za-z]+)/;
const TOKEN68 = /^\s+[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/;

function unquote(value: string): string {
  return value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

/**
 * Splits a WWW-Authenticate or Authorization value into challenges (RFC 7235 §2.1): a scheme, then
 * comma-separated `name=token` or `name="quoted, string"` parameters. Stops at the first malformed part.
 */
export function parseChallenges(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let current: AuthChallenge | null = null;
  let rest = header;
  for (;;) {
    rest = rest.replace(/^[\s,]+/, '');
    if (rest === '') return challenges;
    const param = current ? AUTH_PARAM.exec(rest) : null;
    if (param && current) {
      current.params.set(param[1].toLowerCase(), unquote(param[2]));
      rest = rest.slice(param[0].length);
      continue;
    }
    const scheme = TOKEN.exec(rest);
    if (!scheme) return challenges;
    current = { scheme: scheme[0], params: new Map() };
    challenges.push(current);
    rest = rest.slice(scheme[0].length);
    // Schemes such as Negotiate carry one token68 instead of parameters.
    const token68 = TOKEN68.exec(rest);
    if (token68) rest = rest.slice(token68[0].length);
  }
}

function asDigestChallenge(challenge: AuthChallenge): DigestChallenge | null {
  const { params } = challenge;
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (challenge.scheme.toLowerCase() !== 'digest' || realm === undefined || !nonce) return null;
  const algorithm = DIGEST_ALGORITHMS.find((name) => name.toLowerCase() === (params.get('algorithm') ?? 'MD5').toLowerCase());
  const qopOptions = params
    .get('qop')
    ?.split(',')
    .map((option) => option.trim().toLowerCase());
  // Only qop=auth is answered: auth-int would need the hash of the whole audio before sending it.
  if (!algorithm || (qopOptions && !qopOptions.includes('auth'))) return null;
  return {
    realm,
    nonce,
    opaque: params.get('opaque') ?? null,
    qop: qopOptions ? 'auth' : null,
    algorithm,
    stale: params.get('stale')?.toLowerCase() === 'true',
  };
}

/** The strongest Digest challenge Loa can answer among the WWW-Authenticate header lines, or null. */
export function parseDigestChallenge(headerLines: string[]): DigestChallenge | null {
  const usable = headerLines
    .flatMap(parseChallenges)
    .map(asDigestChallenge)
    .filter((challenge): challenge is DigestChallenge => challenge !== null);
  usable.sort((a, b) => DIGEST_ALGORITHMS.indexOf(a.algorithm) - DIGEST_ALGORITHMS.indexOf(b.algorithm));
  return usable[0] ?? null;
}

export function digestHash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5')
    .update(text, 'utf8')
    .digest('hex');
}

export interface DigestAnswer {
  challenge: DigestChallenge;
  method: string;
  /** The request target exactly as sent: path and query. */
  uri: string;
  username: string;
  password: string;
  /** How many times this nonce has been answered, this time included (1 for a fresh nonce). */
  nonceCount: number;
  cnonce: string;
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** The `Authorization: Digest …` value answering a challenge (RFC 7616 §3.4). */
export function digestAuthorization(answer: DigestAnswer): string {
  const { challenge, username, password, cnonce } = answer;
  const hash = (text: string) => digestHash(challenge.algorithm, text);
  const nc = answer.nonceCount.toString(16).padStart(8, '0');
  let ha1 = hash(`${username}:${challenge.realm}:${password}`);
  if (challenge.algorithm.endsWith('-sess')) ha1 = hash(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = hash(`${answer.method.toUpperCase()}:${answer.uri}`);
  const response = challenge.qop ? hash(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${challenge.qop}:${ha2}`) : hash(`${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username=${quoted(username)}`,
    `realm=${quoted(challenge.realm)}`,
    `nonce=${quoted(challenge.nonce)}`,
    `uri=${quoted(answer.uri)}`,
    `algorithm=${challenge.algorithm}`,
    `response=${quoted(response)}`,
  ];
  if (challenge.opaque !== null) parts.push(`opaque=${quoted(challenge.opaque)}`);
  if (challenge.qop) parts.push(`qop=${challenge.qop}`, `nc=${nc}`, `cnonce=${quoted(cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}
