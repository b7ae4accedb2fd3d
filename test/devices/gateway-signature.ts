import { createHmac, timingSafeEqual } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';

/**
 * The signature of Loa's http-gateway protocol, written from docs/gateway.md for the test models: nothing here comes
 * from Loa. `X-Loa-Signature: sha256=<hex HMAC-SHA256 under the key of "<timestamp>." and the raw body>`, with the
 * sender's Unix milliseconds in `X-Loa-Timestamp`; a receiver refuses a timestamp more than 5 minutes off its clock.
 */
const WINDOW_MS = 5 * 60 * 1000;

export type SignatureCheck = 'ok' | 'missing' | 'malformed' | 'expired' | 'mismatch';

function hmacHex(key: string, timestamp: string, body: Buffer | string): string {
  return createHmac('sha256', key).update(`${timestamp}.`).update(body).digest('hex');
}

/** The two headers that sign `body` at `nowMs`. */
export function gatewaySignature(key: string, body: Buffer | string, nowMs = Date.now()): Record<string, string> {
  const timestamp = String(nowMs);
  return { 'X-Loa-Timestamp': timestamp, 'X-Loa-Signature': `sha256=${hmacHex(key, timestamp, body)}` };
}

/** Checks a received request's signature (constant time) and timestamp window. */
export function checkGatewaySignature(key: string, headers: IncomingHttpHeaders, body: Buffer, nowMs = Date.now()): SignatureCheck {
  const timestamp = headers['x-loa-timestamp'];
  const signature = headers['x-loa-signature'];
  if (timestamp === undefined || signature === undefined) return 'missing';
  if (typeof timestamp !== 'string' || typeof signature !== 'string' || !/^\d{1,15}$/.test(timestamp)) return 'malformed';
  const given = /^sha256=([0-9a-f]{64})$/.exec(signature.toLowerCase());
  if (!given) return 'malformed';
  if (Math.abs(nowMs - Number(timestamp)) > WINDOW_MS) return 'expired';
  return timingSafeEqual(Buffer.from(hmacHex(key, timestamp, body), 'hex'), Buffer.from(given[1], 'hex')) ? 'ok' : 'mismatch';
}
