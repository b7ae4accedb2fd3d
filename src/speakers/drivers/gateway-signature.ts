/**
 * HMAC signatures between Loa and http-gateway devices, both ways: Loa's commands to a gateway and the
 * gateway's events to Loa. `X-Loa-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the unix-ms
 * timestamp in `X-Loa-Timestamp`, under the speaker's key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'X-Loa-Timestamp';
export const SIGNATURE_HEADER = 'X-Loa-Signature';
/** How far a timestamp may be from the receiver's clock; nonces must be remembered for twice this. */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

const TIMESTAMP = /^\d{1,15}$/;
const SIGNATURE = /^sha256=([0-9a-f]{64})$/;

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' | 'replayed' };

export function signature(key: string, timestamp: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', key).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** The two headers that sign `body` now. */
export function signedHeaders(key: string, body: string | Buffer, nowMs = Date.now()): Record<string, string> {
  const timestamp = String(nowMs);
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signature(key, timestamp, body) };
}

export interface SignedMessage {
  key: string;
  /** The raw header values as received (Node lower-cases header names). */
  timestamp: string | string[] | undefined;
  signature: string | string[] | undefined;
  /** The raw body, byte for byte: a re-serialised JSON would not match. */
  body: string | Buffer;
  nowMs?: number;
  windowMs?: number;
}

/** Checks the signature (in constant time) and that the timestamp is within the window. */
export function verifySignature(message: SignedMessage): SignatureVerdict {
  const { timestamp, signature: signatureHeader } = message;
  if (timestamp === undefined || signatureHeader === undefined) return { ok: false, reason: 'missing' };
  if (typeof timestamp !== 'string' || typeof signatureHeader !== 'string' || !TIMESTAMP.test(timestamp)) {
    return { ok: false, reason: 'malformed' };
  }
  const given = SIGNATURE.exec(signatureHeader.toLowerCase());
  if (!given) return { ok: false, reason: 'malformed' };
  if (Math.abs((message.nowMs ?? Date.now()) - Number(timestamp)) > (message.windowMs ?? SIGNATURE_WINDOW_MS)) {
    return { ok: false, reason: 'expired' };
  }
  const expected = Buffer.from(signature(message.key, timestamp, message.body).slice('sha256='.length), 'hex');
  return timingSafeEqual(expected, Buffer.from(given[1], 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/**
 * Records `nonce` and tells whether it had been recorded before. Must be atomic (e.g. Redis `SET NX`) and keep
 * nonces for at least twice the signature window.
 */
export type NonceSeen = (nonce: string) => boolean | Promise<boolean>;

/**
 * `verifySignature`, then replay protection: a signed message whose nonce was already seen is refused. Only
 * messages with a valid signature reach `seen`, so forgeries cannot fill the nonce store.
 */
export async function verifySignedOnce(message: SignedMessage, nonce: string, seen: NonceSeen): Promise<SignatureVerdict> {
  const verdict = verifySignature(message);
  if (!verdict.ok) return verdict;
  return (await seen(nonce)) ? { ok: false, reason: 'replayed' } : { ok: true };
}
