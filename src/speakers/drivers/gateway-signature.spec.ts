import { createHmac } from 'node:crypto';
import { SIGNATURE_HEADER, signature, signedHeaders, SignedMessage, TIMESTAMP_HEADER, verifySignature, verifySignedOnce } from './gateway-signature';

const KEY = 'k3y-shared-with-the-gateway-0123456789';
const NOW = 1_790_000_000_000;
const BODY = '{"playbackId":"p-1","event":"finished"}';

function signed(overrides: Partial<SignedMessage> = {}): SignedMessage {
  const headers = signedHeaders(KEY, BODY, NOW);
  return { key: KEY, timestamp: headers[TIMESTAMP_HEADER], signature: headers[SIGNATURE_HEADER], body: BODY, nowMs: NOW, ...overrides };
}

describe('signature', () => {
  it('is the hex HMAC-SHA256 of "<timestamp>.<body>", prefixed sha256=', () => {
    const expected = createHmac('sha256', KEY).update(`${NOW}.${BODY}`).digest('hex');
    expect(signature(KEY, String(NOW), BODY)).toBe(`sha256=${expected}`);
    expect(signedHeaders(KEY, BODY, NOW)).toEqual({ 'X-Loa-Timestamp': String(NOW), 'X-Loa-Signature': `sha256=${expected}` });
  });

  it('signs bytes and text alike, and an empty body for a GET', () => {
    expect(signature(KEY, '1', Buffer.from(BODY))).toBe(signature(KEY, '1', BODY));
    expect(signature(KEY, '1', '')).toBe(`sha256=${createHmac('sha256', KEY).update('1.').digest('hex')}`);
  });
});

describe('verifySignature', () => {
  it('accepts what signedHeaders signed, within the window either way', () => {
    expect(verifySignature(signed())).toEqual({ ok: true });
    expect(verifySignature(signed({ nowMs: NOW + 299_000 }))).toEqual({ ok: true });
    expect(verifySignature(signed({ nowMs: NOW - 299_000 }))).toEqual({ ok: true });
  });

  it('accepts a signature written in upper-case hex', () => {
    const message = signed();
    expect(verifySignature({ ...message, signature: `sha256=${(message.signature as string).slice(7).toUpperCase()}` })).toEqual({ ok: true });
  });

  it.each([
    ['a changed body', { body: BODY.replace('finished', 'failed') }],
    ['another key', { key: `${KEY}x` }],
    ['a timestamp that is not the signed one', { timestamp: String(NOW + 1) }],
  ])('refuses %s as a mismatch', (_case, change) => {
    expect(verifySignature(signed(change))).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a timestamp outside the window, old or future, before comparing', () => {
    expect(verifySignature(signed({ nowMs: NOW + 301_000 }))).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature(signed({ nowMs: NOW - 301_000 }))).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature(signed({ nowMs: NOW + 2_000, windowMs: 1_000 }))).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['no timestamp', { timestamp: undefined }, 'missing'],
    ['no signature', { signature: undefined }, 'missing'],
    ['a repeated header', { signature: ['sha256=00', 'sha256=11'] }, 'malformed'],
    ['a timestamp in seconds with a fraction', { timestamp: '1790000000.5' }, 'malformed'],
    ['another hash', { signature: `sha1=${'0'.repeat(40)}` }, 'malformed'],
    ['a short signature', { signature: 'sha256=abcd' }, 'malformed'],
  ] as const)('refuses %s', (_case, change, reason) => {
    expect(verifySignature(signed(change as Partial<SignedMessage>))).toEqual({ ok: false, reason });
  });
});

describe('verifySignedOnce', () => {
  it('accepts a nonce once and refuses it as replayed afterwards', async () => {
    const seen = new Set<string>();
    const remember = (nonce: string) => seen.has(nonce) || (seen.add(nonce), false);
    expect(await verifySignedOnce(signed(), 'nonce-0001', remember)).toEqual({ ok: true });
    expect(await verifySignedOnce(signed(), 'nonce-0001', remember)).toEqual({ ok: false, reason: 'replayed' });
    expect(await verifySignedOnce(signed(), 'nonce-0002', async (nonce) => remember(nonce))).toEqual({ ok: true });
  });

  it('never records the nonce of a message whose signature fails', async () => {
    const seen = jest.fn(() => false);
    expect(await verifySignedOnce(signed({ key: 'forger-key-forger-key-forger-key' }), 'nonce-0001', seen)).toEqual({ ok: false, reason: 'mismatch' });
    expect(seen).not.toHaveBeenCalled();
  });
});
