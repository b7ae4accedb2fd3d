import { chainFingerprint } from './chain-fingerprint';
import { zoneInWords } from './zone-names';

describe('what a report says instead of codes', () => {
  it('names a commune zone in words, in both languages, and a zone missing from the table by its offset', () => {
    expect(zoneInWords('Asia/Ho_Chi_Minh')).toBe('giờ Việt Nam');
    expect(zoneInWords('Asia/Ho_Chi_Minh', 'en')).toBe('Vietnam time');
    expect(zoneInWords('Asia/Kathmandu')).toBe('giờ UTC+05:45');
    expect(zoneInWords('Asia/Kathmandu', 'en')).toBe('UTC+05:45 time');
  });

  it('shows the chain head as its first 16 hex digits in groups of four', () => {
    expect(chainFingerprint('3f9a1c0277be0d41' + 'e'.repeat(48))).toBe('3f9a 1c02 77be 0d41');
    expect(chainFingerprint('')).toBe('—');
  });
});
