import { digestResponse, parseAuthParams } from './rfc7616-digest';

/** The device model's Digest arithmetic and parsing, held to the worked example of RFC 7616 §3.9.1. */
describe('the device model speaks RFC 7616 Digest', () => {
  const example = {
    username: 'Mufasa',
    realm: 'http-auth@example.org',
    password: 'Circle of Life',
    method: 'GET',
    uri: '/dir/index.html',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };

  it("computes the RFC's responses for MD5 and SHA-256", () => {
    expect(digestResponse({ ...example, algorithm: 'MD5' })).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(digestResponse({ ...example, algorithm: 'SHA-256' })).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it("parses the RFC's Authorization header, quoted strings and tokens alike", () => {
    const header =
      'username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
      'nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const params = parseAuthParams(header)!;
    expect(Object.fromEntries(params)).toMatchObject({
      username: 'Mufasa',
      nc: '00000001',
      qop: 'auth',
      algorithm: 'MD5',
      response: '8ca523f5e9506fed4657c9700eebdbec',
    });
  });

  it('unescapes quoted pairs and refuses what is not an auth-param list', () => {
    expect(parseAuthParams('realm="a \\"quoted\\" realm", qop=auth')!.get('realm')).toBe('a "quoted" realm');
    expect(parseAuthParams('username="unterminated')).toBeNull();
    expect(parseAuthParams('=value')).toBeNull();
    expect(parseAuthParams('a=1 b=2')).toBeNull();
  });
});
