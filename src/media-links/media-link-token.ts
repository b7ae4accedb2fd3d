import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DriverAudioFormat } from '../speakers/drivers/speaker-driver';

export interface MediaLinkClaims {
  /** SHA-256 of the bulletin's rendition. */
  sha256: string;
  format: DriverAudioFormat;
  /** Unix seconds after which the link no longer works. */
  exp: number;
}

export type MediaLinkVerdict = { ok: true; claims: MediaLinkClaims } | { ok: false; reason: 'invalid' | 'expired' };

const FORMATS: readonly string[] = ['mp3', 'mulaw'];

/** `<payload>.<signature>`, both base64url; the signature is HMAC-SHA256 of the payload text. */
export function signMediaLink(claims: MediaLinkClaims, key: Buffer): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}

export function verifyMediaLink(token: string, key: Buffer, nowSeconds = Math.floor(Date.now() / 1000)): MediaLinkVerdict {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'invalid' };
  const expected = createHmac('sha256', key).update(payload).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  let claims: MediaLinkClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as MediaLinkClaims;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!/^[0-9a-f]{64}$/.test(String(claims.sha256)) || !FORMATS.includes(claims.format) || typeof claims.exp !== 'number') {
    return { ok: false, reason: 'invalid' };
  }
  return claims.exp < nowSeconds ? { ok: false, reason: 'expired' } : { ok: true, claims };
}
