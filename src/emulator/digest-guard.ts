import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseChallenges } from '../speakers/drivers/axis-vapix/digest-auth';

export type DigestCheck = 'ok' | 'missing' | 'stale' | 'refused';

export interface DigestGuardOptions {
  username: string;
  password: string;
  /** How long an issued nonce is accepted; after that a right answer gets `stale=true`. */
  nonceTtlMs: number;
  /** Refuses every credential, as a device whose password was changed behind Loa's back. */
  refuseAll: boolean;
}

interface IssuedNonce {
  issuedAt: number;
  /** Nonce counts already used: a repeated one is a replayed request. */
  counts: Set<number>;
}

const MAX_NONCES = 1000;

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The server side of HTTP Digest as an Axis device runs it: MD5, qop=auth, nonces that expire (stale=true) and
 * nonce counts that may not repeat. The expected answer is computed here, independently of Loa's client.
 */
export class DigestGuard {
  readonly realm = `AXIS_ACCC8E${randomBytes(3).toString('hex').toUpperCase()}`;
  private readonly opaque = randomBytes(16).toString('base64');
  private readonly nonces = new Map<string, IssuedNonce>();

  constructor(private readonly options: DigestGuardOptions) {}

  /** The WWW-Authenticate lines of a 401, Digest first, as devices that also allow Basic send them. */
  challenge(stale: boolean): string[] {
    const nonce = randomBytes(18).toString('base64');
    this.nonces.set(nonce, { issuedAt: Date.now(), counts: new Set() });
    if (this.nonces.size > MAX_NONCES) this.nonces.delete(this.nonces.keys().next().value!);
    const digest = `Digest realm="${this.realm}", nonce="${nonce}", algorithm=MD5, qop="auth", opaque="${this.opaque}"${stale ? ', stale=TRUE' : ''}`;
    return [digest, `Basic realm="${this.realm}"`];
  }

  check(method: string, requestTarget: string, authorization: string | undefined): DigestCheck {
    if (!authorization) return 'missing';
    const [credentials] = parseChallenges(authorization);
    if (!credentials || credentials.scheme.toLowerCase() !== 'digest' || this.options.refuseAll) return 'refused';
    const field = (name: string) => credentials.params.get(name) ?? '';
    const nc = field('nc');
    if (
      field('username') !== this.options.username ||
      field('realm') !== this.realm ||
      field('uri') !== requestTarget ||
      field('qop') !== 'auth' ||
      field('opaque') !== this.opaque ||
      !/^[0-9a-f]{8}$/i.test(nc) ||
      !field('cnonce') ||
      !['', 'md5'].includes(field('algorithm').toLowerCase())
    ) {
      return 'refused';
    }
    const nonce = field('nonce');
    const ha1 = md5(`${this.options.username}:${this.realm}:${this.options.password}`);
    const ha2 = md5(`${method}:${requestTarget}`);
    const expected = md5(`${ha1}:${nonce}:${nc}:${field('cnonce')}:auth:${ha2}`);
    if (!same(expected, field('response').toLowerCase())) return 'refused';
    const issued = this.nonces.get(nonce);
    if (!issued || Date.now() - issued.issuedAt > this.options.nonceTtlMs) return 'stale';
    const count = parseInt(nc, 16);
    if (issued.counts.has(count)) return 'refused';
    issued.counts.add(count);
    return 'ok';
  }
}
