import { DigestChallenge, digestAuthorization, parseChallenges, parseDigestChallenge } from './digest-auth';

/** The parameters of an Authorization value, read back with the same tokenizer a server would use. */
function fields(authorization: string): Map<string, string> {
  const [credentials] = parseChallenges(authorization);
  expect(credentials.scheme).toBe('Digest');
  return credentials.params;
}

describe('digestAuthorization', () => {
  it('answers the RFC 2617 §3.5 example (MD5, qop=auth) with its published response', () => {
    const challenge: DigestChallenge = {
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      qop: 'auth',
      algorithm: 'MD5',
      stale: false,
    };
    const header = digestAuthorization({
      challenge,
      method: 'GET',
      uri: '/dir/index.html',
      username: 'Mufasa',
      password: 'Circle Of Life',
      nonceCount: 1,
      cnonce: '0a4f113b',
    });
    const sent = fields(header);
    expect(sent.get('response')).toBe('6629fae49393a05397450978507c4ef1');
    expect(sent.get('nc')).toBe('00000001');
    expect(sent.get('qop')).toBe('auth');
    expect(sent.get('cnonce')).toBe('0a4f113b');
    expect(sent.get('opaque')).toBe('5ccc069c403ebaf9f0171e9517f40e41');
    expect(sent.get('uri')).toBe('/dir/index.html');
  });

  const rfc7616: Omit<DigestChallenge, 'algorithm'> = {
    realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
    qop: 'auth',
    stale: false,
  };
  it.each([
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ] as const)('answers the RFC 7616 §3.9.1 example with %s', (algorithm, response) => {
    const header = digestAuthorization({
      challenge: { ...rfc7616, algorithm },
      method: 'GET',
      uri: '/dir/index.html',
      username: 'Mufasa',
      password: 'Circle of Life',
      nonceCount: 1,
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    });
    expect(fields(header).get('response')).toBe(response);
    expect(fields(header).get('algorithm')).toBe(algorithm);
  });

  it('writes the nonce count as 8 hex digits and changes the response with it', () => {
    const answer = (nonceCount: number) =>
      fields(
        digestAuthorization({
          challenge: { ...rfc7616, algorithm: 'MD5' },
          method: 'POST',
          uri: '/axis-cgi/audio/transmit.cgi',
          username: 'root',
          password: 'pass',
          nonceCount,
          cnonce: 'abc',
        }),
      );
    expect(answer(26).get('nc')).toBe('0000001a');
    expect(answer(1).get('response')).not.toBe(answer(2).get('response'));
  });

  it('answers an RFC 2069 server (no qop) without nc and cnonce', () => {
    const header = digestAuthorization({
      challenge: { realm: 'r', nonce: 'n', opaque: null, qop: null, algorithm: 'MD5', stale: false },
      method: 'GET',
      uri: '/',
      username: 'u',
      password: 'p',
      nonceCount: 1,
      cnonce: 'c',
    });
    expect(header).not.toMatch(/\b(nc|cnonce|qop|opaque)=/);
    // MD5(MD5("u:r:p"):n:MD5("GET:/"))
    expect(fields(header).get('response')).toBe('f23121ca97143c6b358da620220c83b4');
  });

  it('hashes a password containing colons and non-ASCII text as UTF-8, whole', () => {
    const answer = (password: string) =>
      fields(
        digestAuthorization({ challenge: { ...rfc7616, algorithm: 'MD5' }, method: 'GET', uri: '/', username: 'root', password, nonceCount: 1, cnonce: 'c' }),
      ).get('response');
    expect(answer('a:b:c')).not.toBe(answer('a'));
    expect(answer('mật-khẩu')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('derives the session key for -sess algorithms from the nonce and cnonce', () => {
    const answer = (algorithm: 'MD5' | 'MD5-sess', cnonce: string) =>
      fields(digestAuthorization({ challenge: { ...rfc7616, algorithm }, method: 'GET', uri: '/', username: 'u', password: 'p', nonceCount: 1, cnonce })).get(
        'response',
      );
    expect(answer('MD5-sess', 'c1')).not.toBe(answer('MD5', 'c1'));
    expect(answer('MD5-sess', 'c1')).not.toBe(answer('MD5-sess', 'c2'));
  });
});

describe('parseChallenges', () => {
  it('keeps commas and escaped quotes inside quoted strings', () => {
    const [challenge] = parseChallenges('Digest realm="Village, \\"Việt An\\"", qop="auth,auth-int", nonce=abc');
    expect(challenge.params.get('realm')).toBe('Village, "Việt An"');
    expect(challenge.params.get('qop')).toBe('auth,auth-int');
    expect(challenge.params.get('nonce')).toBe('abc');
  });

  it('splits several challenges in one header line, including a token68 scheme', () => {
    const challenges = parseChallenges('Negotiate YIIBzwYGKwYBBQUCoIIBwzCC==, Basic realm="x", Digest realm="y", nonce="n"');
    expect(challenges.map((challenge) => challenge.scheme)).toEqual(['Negotiate', 'Basic', 'Digest']);
    expect(challenges[2].params.get('realm')).toBe('y');
  });

  it('reads parameter names case-insensitively and tolerates spaces around =', () => {
    const [challenge] = parseChallenges('Digest REALM = "a" ,  Nonce=b');
    expect(challenge.params.get('realm')).toBe('a');
    expect(challenge.params.get('nonce')).toBe('b');
  });

  it('stops at garbage instead of inventing parameters', () => {
    expect(parseChallenges('<html>')).toEqual([]);
    expect(parseChallenges('')).toEqual([]);
  });
});

describe('parseDigestChallenge', () => {
  it('reads an Axis challenge sent beside a Basic one', () => {
    const challenge = parseDigestChallenge(['Digest realm="AXIS_ACCC8E012345", nonce="0013ab=", algorithm=MD5, qop="auth"', 'Basic realm="AXIS_ACCC8E012345"']);
    expect(challenge).toEqual({ realm: 'AXIS_ACCC8E012345', nonce: '0013ab=', opaque: null, qop: 'auth', algorithm: 'MD5', stale: false });
  });

  it('prefers SHA-256 when the server offers it beside MD5', () => {
    const challenge = parseDigestChallenge(['Digest realm="r", nonce="1", algorithm=MD5, qop="auth"', 'Digest realm="r", nonce="2", algorithm=SHA-256, qop="auth"']);
    expect(challenge?.algorithm).toBe('SHA-256');
    expect(challenge?.nonce).toBe('2');
  });

  it('reads stale=TRUE case-insensitively', () => {
    expect(parseDigestChallenge(['Digest realm="r", nonce="n", qop="auth", stale=TRUE'])?.stale).toBe(true);
    expect(parseDigestChallenge(['Digest realm="r", nonce="n", qop="auth", stale=false'])?.stale).toBe(false);
  });

  it('defaults to MD5 and treats a missing qop as an RFC 2069 server', () => {
    expect(parseDigestChallenge(['Digest realm="r", nonce="n"'])).toMatchObject({ algorithm: 'MD5', qop: null });
  });

  it.each([
    ['only Basic', 'Basic realm="r"'],
    ['no nonce', 'Digest realm="r", qop="auth"'],
    ['only auth-int', 'Digest realm="r", nonce="n", qop="auth-int"'],
    ['an unknown algorithm', 'Digest realm="r", nonce="n", qop="auth", algorithm=SHA-512-256'],
  ])('finds nothing to answer with %s', (_case, header) => {
    expect(parseDigestChallenge([header])).toBeNull();
  });
});
