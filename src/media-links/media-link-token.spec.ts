import { MediaLinkClaims, signMediaLink, verifyMediaLink } from './media-link-token';

const KEY = Buffer.alloc(32, 7);
const SHA = 'ab'.repeat(32);
const NOW = 1_800_000_000;
const claims: MediaLinkClaims = { sha256: SHA, format: 'mulaw', exp: NOW + 60 };

describe('media link tokens', () => {
  it('verify what they sign, until they expire', () => {
    const token = signMediaLink(claims, KEY);
    expect(verifyMediaLink(token, KEY, NOW)).toEqual({ ok: true, claims });
    expect(verifyMediaLink(token, KEY, NOW + 61)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse a token signed with another key', () => {
    expect(verifyMediaLink(signMediaLink(claims, Buffer.alloc(32, 8)), KEY, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse a token whose claims were changed, e.g. to another bulletin or a later expiry', () => {
    const [, signature] = signMediaLink(claims, KEY).split('.');
    for (const forged of [
      { ...claims, sha256: 'cd'.repeat(32) },
      { ...claims, exp: NOW + 999_999 },
    ]) {
      const payload = Buffer.from(JSON.stringify(forged)).toString('base64url');
      expect(verifyMediaLink(`${payload}.${signature}`, KEY, NOW)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it.each(['', 'abc', 'a.b.c', `${Buffer.from('{}').toString('base64url')}.x`])('refuse the malformed token %j', (token) => {
    expect(verifyMediaLink(token, KEY, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse well-signed claims that are not a media link', () => {
    const token = signMediaLink({ sha256: '../../etc/passwd', format: 'mp3', exp: NOW + 60 } as MediaLinkClaims, KEY);
    expect(verifyMediaLink(token, KEY, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });
});
