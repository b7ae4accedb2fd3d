import { AirtimeEntry } from './airtime-ledger';
import { checkedContent, InvalidAirtimeEntryError } from './airtime-entry-check';

const entry = (overrides: Partial<AirtimeEntry> = {}): AirtimeEntry => ({
  communeId: 'A1B2C3D4-0000-4000-8000-000000000001',
  villageId: 'a1b2c3d4-0000-4000-8000-000000000002',
  speakerId: 'a1b2c3d4-0000-4000-8000-000000000003',
  playbackId: 'a1b2c3d4-0000-4000-8000-000000000004',
  event: 'commanded',
  occurredAt: new Date('2026-10-10T06:00:01.250Z'),
  audioSha256: 'AB'.repeat(32),
  scheduledAt: new Date('2026-10-10T06:00:00Z'),
  actualAt: null,
  onAirMs: null,
  evidenceLevel: 'commanded',
  evidence: null,
  ...overrides,
});

describe('checkedContent', () => {
  it('puts ids and hashes in lower case and instants in ISO 8601 UTC, as they are hashed', () => {
    expect(checkedContent(entry())).toMatchObject({
      communeId: 'a1b2c3d4-0000-4000-8000-000000000001',
      audioSha256: 'ab'.repeat(32),
      occurredAt: '2026-10-10T06:00:01.250Z',
      actualAt: null,
    });
  });

  it.each([
    ['an unknown event', { event: 'heard' as never }, /event must be one of/],
    ['an unknown level', { evidenceLevel: 'rumour' as never }, /evidenceLevel/],
    ['a malformed id', { speakerId: 'speaker-1' }, /speakerId must be a UUID/],
    ['an invalid instant', { occurredAt: new Date('nope') }, /occurredAt must be a valid Date/],
    ['a short hash', { audioSha256: 'abc' }, /audioSha256/],
    ['a negative duration', { onAirMs: -5 }, /onAirMs/],
    ['a fractional duration', { onAirMs: 1.5 }, /onAirMs/],
  ])('refuses %s', (_what, overrides, message) => {
    expect(() => checkedContent(entry(overrides))).toThrow(InvalidAirtimeEntryError);
    expect(() => checkedContent(entry(overrides))).toThrow(message);
  });
});
