import { createHash, randomBytes } from 'node:crypto';

/**
 * The server side of HTTP Digest access authentication as RFC 7616 describes it (qop=auth, MD5 or SHA-256), written
 * from the RFC for the device model: it shares no code with Loa's client, so a misreading on either side fails a test.
 */

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export type DigestVerdict = 'ok' | 'missing' | 'wrong' | 'stale';

interface IssuedNonce {
  issuedAt: number;
  /** The highest nonce count seen (RFC 7616 §3.4: a repeated count is a replay). */
  lastCount: number;
}

/** `auth-param` list of a credentials header: token=token or token="quoted string" (RFC 7230 §3.2.6), comma separated. */
export function parseAuthParams(text: string): Map<string, string> | null {
  const params = new Map<string, string>();
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
  };
  while (at < text.length) {
    skipSpace();
    const name = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(text.slice(at));
    if (!name) return null;
    at += name[0].length;
    skipSpace();
    if (text[at] !== '=') return null;
    at++;
    skipSpace();
    let value = '';
    if (text[at] === '"') {
      at++;
      for (;;) {
        if (at >= text.length) return null;
        const char = text[at++];
        if (char === '"') break;
        value += char === '\\' ? (text[at++] ?? '') : char;
      }
    } else {
      const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(text.slice(at));
      if (!token) return null;
      value = token[0];
      at += value.length;
    }
    params.set(name[0].toLowerCase(), value);
    skipSpace();
    if (at < text.length) {
      if (text[at] !== ',') return null;
      at++;
    }
  }
  return params;
}

export interface DigestInputs {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  nc: string;
  cnonce: string;
}

/** The `response` value of RFC 7616 §3.4.1 for qop=auth: KD(H(A1), nonce:nc:cnonce:qop:H(A2)). */
export function digestResponse(inputs: DigestInputs): string {
  const hash = (text: string) =>
    createHash(inputs.algorithm === 'MD5' ? 'md5' : 'sha256')
      .update(text, 'utf8')
      .digest('hex');
  const ha1 = hash(`${inputs.username}:${inputs.realm}:${inputs.password}`);
  const ha2 = hash(`${inputs.method}:${inputs.uri}`);
  return hash(`${ha1}:${inputs.nonce}:${inputs.nc}:${inputs.cnonce}:auth:${ha2}`);
}

export class DigestRealm {
  private readonly nonces = new Map<string, IssuedNonce>();

  constructor(
    readonly realm: string,
    private readonly users: ReadonlyMap<string, string>,
    readonly algorithm: DigestAlgorithm,
    private readonly nonceTtlMs: number,
  ) {}

  /** The WWW-Authenticate value of a 401: a fresh nonce, and stale=true when the client's was only out of date. */
  challenge(stale: boolean): string {
    const nonce = randomBytes(16).toString('base64url');
    this.nonces.set(nonce, { issuedAt: Date.now(), lastCount: 0 });
    return `Digest realm="${this.realm}", qop="auth", algorithm=${this.algorithm}, nonce="${nonce}", opaque="${randomBytes(8).toString('hex')}"${stale ? ', stale=true' : ''}`;
  }

  /** Makes every nonce issued so far out of date, as a device does after its nonce lifetime. */
  expireNonces(): void {
    for (const issued of this.nonces.values()) issued.issuedAt = 0;
  }

  verify(method: string, requestTarget: string, authorization: string | undefined): DigestVerdict {
    if (!authorization) return 'missing';
    const scheme = /^Digest\s+/i.exec(authorization);
    if (!scheme) return 'wrong';
    const params = parseAuthParams(authorization.slice(scheme[0].length));
    if (!params) return 'wrong';
    const [username, nonce, uri, response, qop, nc, cnonce] = ['username', 'nonce', 'uri', 'response', 'qop', 'nc', 'cnonce'].map((key) => params.get(key));
    if (!username || !nonce || !uri || !response || qop !== 'auth' || !nc || !/^[0-9a-f]{8}$/i.test(nc) || !cnonce) return 'wrong';
    if (params.get('realm') !== this.realm || uri !== requestTarget) return 'wrong';
    if ((params.get('algorithm') ?? 'MD5').toUpperCase() !== this.algorithm) return 'wrong';
    const password = this.users.get(username);
    const issued = this.nonces.get(nonce);
    if (password === undefined || !issued) return 'wrong';
    const expected = digestResponse({ algorithm: this.algorithm, username, realm: this.realm, password, method, uri, nonce, nc, cnonce });
    if (expected !== response.toLowerCase()) return 'wrong';
    // The right answer to an out-of-date nonce: the client knows the password and only needs a new nonce.
    if (Date.now() - issued.issuedAt > this.nonceTtlMs) return 'stale';
    const count = parseInt(nc, 16);
    if (count <= issued.lastCount) return 'wrong';
    issued.lastCount = count;
    return 'ok';
  }
}
