import { createHash } from 'node:crypto';
import { boundedEvidence, EVIDENCE_EXCERPT_CHARS, EVIDENCE_MAX_CHARS } from './bounded-evidence';
import { canonicalJson } from './canonical-json';

describe('boundedEvidence', () => {
  it('keeps a small payload as plain JSON (dates as ISO text, undefined dropped)', () => {
    const at = new Date('2026-10-10T06:00:00Z');
    expect(boundedEvidence({ status: 200, at, skipped: undefined })).toEqual({ status: 200, at: '2026-10-10T06:00:00.000Z' });
    expect(boundedEvidence(null)).toBeNull();
  });

  it('replaces a payload over the cap by an excerpt, its length and SHA-256', () => {
    const big = { body: 'ồ'.repeat(EVIDENCE_MAX_CHARS) };
    const text = canonicalJson(big);
    const bounded = boundedEvidence(big)!;
    expect(bounded).toEqual({
      truncated: true,
      chars: text.length,
      sha256: createHash('sha256').update(text).digest('hex'),
      excerpt: text.slice(0, EVIDENCE_EXCERPT_CHARS),
    });
    expect(canonicalJson(bounded).length).toBeLessThan(EVIDENCE_MAX_CHARS);
  });

  it('makes text PostgreSQL jsonb accepts: no NUL, no lone surrogate, in values and keys', () => {
    expect(boundedEvidence({ 'k\u0000': 'a\u0000b\ud800c' })).toEqual({ 'k\uFFFD': 'a\uFFFDb\uFFFDc' });
  });

  it('keeps a note, not the record, when the payload is not JSON at all', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(boundedEvidence(cycle)).toEqual({ unreadable: expect.stringMatching(/^the evidence was not JSON/) });
    expect(boundedEvidence({ n: BigInt(1) })).toEqual({ unreadable: expect.stringMatching(/BigInt/) });
  });
});
