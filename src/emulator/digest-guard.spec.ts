import { digestAuthorization, parseDigestChallenge } from '../speakers/drivers/axis-vapix/digest-auth';
import { DigestGuard, DigestGuardOptions } from './digest-guard';

const TRANSMIT = '/axis-cgi/audio/transmit.cgi';

function guard(options: Partial<DigestGuardOptions> = {}): DigestGuard {
  return new DigestGuard({ username: 'root', password: 'pass', nonceTtlMs: 60_000, refuseAll: false, ...options });
}

/** What a client answers to the guard's current challenge. */
function answer(device: DigestGuard, { password = 'pass', uri = TRANSMIT, nonceCount = 1, stale = false } = {}): string {
  const challenge = parseDigestChallenge(device.challenge(stale))!;
  return digestAuthorization({ challenge, method: 'POST', uri, username: 'root', password, nonceCount, cnonce: 'c0ffee' });
}

describe('DigestGuard', () => {
  it('asks with Digest (MD5, qop=auth) first and Basic second, as Axis devices do', () => {
    const [digest, basic] = guard().challenge(false);
    expect(digest).toMatch(/^Digest realm="AXIS_ACCC8E[0-9A-F]{6}", nonce="[^"]+", algorithm=MD5, qop="auth", opaque="[^"]+"$/);
    expect(basic).toMatch(/^Basic realm=/);
    expect(guard().challenge(true)[0]).toMatch(/, stale=TRUE$/);
  });

  it('lets a right answer in and says which credentials are missing or wrong', () => {
    const device = guard();
    expect(device.check('POST', TRANSMIT, answer(device))).toBe('ok');
    expect(device.check('POST', TRANSMIT, undefined)).toBe('missing');
    expect(device.check('POST', TRANSMIT, answer(device, { password: 'wrong' }))).toBe('refused');
    expect(device.check('POST', TRANSMIT, 'Basic cm9vdDpwYXNz')).toBe('refused');
  });

  it('refuses an answer made for another URI or another method', () => {
    const device = guard();
    expect(device.check('POST', TRANSMIT, answer(device, { uri: '/axis-cgi/param.cgi' }))).toBe('refused');
    expect(device.check('GET', TRANSMIT, answer(device))).toBe('refused');
  });

  it('refuses a replayed nonce count but accepts the next one', () => {
    const device = guard();
    const challenge = parseDigestChallenge(device.challenge(false))!;
    const withCount = (nonceCount: number) =>
      digestAuthorization({ challenge, method: 'POST', uri: TRANSMIT, username: 'root', password: 'pass', nonceCount, cnonce: 'c' });
    expect(device.check('POST', TRANSMIT, withCount(1))).toBe('ok');
    expect(device.check('POST', TRANSMIT, withCount(1))).toBe('refused');
    expect(device.check('POST', TRANSMIT, withCount(2))).toBe('ok');
  });

  it('calls a right answer with an expired nonce stale, and refuses one made for another device', () => {
    const device = guard({ nonceTtlMs: -1 });
    expect(device.check('POST', TRANSMIT, answer(device))).toBe('stale');
    const other = guard();
    const foreign = answer(guard());
    expect(other.check('POST', TRANSMIT, foreign)).toBe('refused');
  });

  it('refuses everything in the wrong-password fault', () => {
    const device = guard({ refuseAll: true });
    expect(device.check('POST', TRANSMIT, answer(device))).toBe('refused');
  });
});
