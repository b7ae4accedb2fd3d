import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { canonicalParts, canonicalRecord, chainedHash, GENESIS_HASH, RECORD_FORMAT, RecordContent, recordHash } from './record-hash';

const content: RecordContent = {
  communeId: 'a1b2c3d4-0000-4000-8000-000000000001',
  seq: 42,
  recordedAt: '2026-10-10T06:01:40.123Z',
  event: 'finished',
  evidenceLevel: 'device_reported',
  occurredAt: '2026-10-10T06:01:39.900Z',
  villageId: 'a1b2c3d4-0000-4000-8000-000000000002',
  speakerId: 'a1b2c3d4-0000-4000-8000-000000000003',
  playbackId: 'a1b2c3d4-0000-4000-8000-000000000004',
  audioSha256: 'ab'.repeat(32),
  scheduledAt: '2026-10-10T06:00:00.000Z',
  actualAt: '2026-10-10T06:00:00.800Z',
  onAirMs: 99_100,
  evidence: { zeta: 'Thôn "Phú Mỹ"', alpha: [1, { b: null, a: true }] },
};

describe('recordHash', () => {
  it('hashes exactly the documented canonical JSON of the content, written out by hand', () => {
    expect(canonicalRecord(content)).toBe(canonicalJson({ format: RECORD_FORMAT, ...content }));
    const nulls = { ...content, evidenceLevel: null, audioSha256: null, actualAt: null, onAirMs: null, evidence: null };
    expect(canonicalRecord(nulls)).toBe(canonicalJson({ format: RECORD_FORMAT, ...nulls }));
  });

  it('is SHA-256 of the previous hash, a newline and that text', () => {
    const expected = createHash('sha256')
      .update(`${GENESIS_HASH}\n${canonicalJson({ format: 1, ...content })}`)
      .digest('hex');
    expect(recordHash(GENESIS_HASH, content)).toBe(expected);
  });

  it('gives the same hash from the parts prepared before chaining', () => {
    const parts = canonicalParts(content, canonicalJson(content.evidence));
    expect(chainedHash(GENESIS_HASH, parts, content.seq, content.recordedAt)).toBe(recordHash(GENESIS_HASH, content));
  });

  it('changes with any field, the position or the previous hash', () => {
    const hash = recordHash(GENESIS_HASH, content);
    expect(recordHash(GENESIS_HASH, { ...content, seq: 43 })).not.toBe(hash);
    expect(recordHash(GENESIS_HASH, { ...content, evidence: { ...content.evidence, zeta: 'x' } })).not.toBe(hash);
    expect(recordHash('f'.repeat(64), content)).not.toBe(hash);
  });
});
