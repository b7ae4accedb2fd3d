import { verifyGatewayEvent } from './gateway-event';
import { signedHeaders, SignedMessage, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './gateway-signature';

const KEY = 'gateway-key-0123456789-0123456789-ab';

function message(event: Record<string, unknown>, key = KEY): SignedMessage {
  const body = JSON.stringify(event);
  const headers = signedHeaders(key, body);
  return { key: KEY, timestamp: headers[TIMESTAMP_HEADER], signature: headers[SIGNATURE_HEADER], body: Buffer.from(body) };
}

const FINISHED = { playbackId: 'pb-1', event: 'finished', at: '2026-10-10T06:03:12.000Z', nonce: '8f14e45fceea167a5a36dedd4bea2543' };

function nonceStore() {
  const seen = new Set<string>();
  return jest.fn((nonce: string) => seen.has(nonce) || (seen.add(nonce), false));
}

describe('verifyGatewayEvent', () => {
  it('believes a signed, well-formed event once', async () => {
    const seen = nonceStore();
    expect(await verifyGatewayEvent(message(FINISHED), seen)).toEqual({ ok: true, event: expect.objectContaining(FINISHED) });
    expect(await verifyGatewayEvent(message(FINISHED), seen)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('requires a reason for a failed playback', async () => {
    const failed = { ...FINISHED, event: 'failed', nonce: 'a'.repeat(32) };
    expect(await verifyGatewayEvent(message(failed), nonceStore())).toMatchObject({
      ok: false,
      reason: 'invalid',
      problems: [expect.stringMatching(/^body\.reason/)],
    });
    expect(await verifyGatewayEvent(message({ ...failed, reason: 'amplifier has no power' }), nonceStore())).toMatchObject({
      ok: true,
      event: { reason: 'amplifier has no power' },
    });
  });

  it.each([
    ['an unknown event', { ...FINISHED, event: 'paused' }, /body\.event must be one of started, finished, failed/],
    ['a date that is not ISO 8601', { ...FINISHED, at: 'yesterday' }, /body\.at must be an ISO 8601/],
    ['a short nonce', { ...FINISHED, nonce: 'abc' }, /body\.nonce must be 16 to 128/],
    ['an unknown field', { ...FINISHED, volume: 11 }, /body\.volume is not a known field/],
    ['no playbackId', { event: 'started', at: FINISHED.at, nonce: FINISHED.nonce }, /body\.playbackId/],
  ])('refuses %s, naming the field', async (_case, event, problem) => {
    const verdict = await verifyGatewayEvent(message(event), nonceStore());
    expect(verdict).toMatchObject({ ok: false, reason: 'invalid' });
    expect((verdict as { problems: string[] }).problems.join('; ')).toMatch(problem);
  });

  it('refuses a body that is not JSON', async () => {
    const headers = signedHeaders(KEY, 'not json');
    const verdict = await verifyGatewayEvent(
      { key: KEY, timestamp: headers[TIMESTAMP_HEADER], signature: headers[SIGNATURE_HEADER], body: 'not json' },
      nonceStore(),
    );
    expect(verdict).toEqual({ ok: false, reason: 'invalid', problems: ['the body must be JSON'] });
  });

  it('refuses an event signed with another key without recording its nonce', async () => {
    const seen = nonceStore();
    expect(await verifyGatewayEvent(message(FINISHED, 'someone-else-0123456789-0123456789'), seen)).toEqual({ ok: false, reason: 'mismatch' });
    expect(seen).not.toHaveBeenCalled();
  });
});
