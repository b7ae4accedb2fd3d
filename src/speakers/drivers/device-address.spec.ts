import { LOOPBACK, refusedAddress, refusedDeviceHost } from './device-address';

const host = (url: string) => new URL(url);

describe('device addresses', () => {
  it.each([
    ['http://127.0.0.1', LOOPBACK],
    ['http://127.8.9.10:8080', LOOPBACK],
    ['http://0x7f000001', LOOPBACK],
    ['http://0177.0.0.1', LOOPBACK],
    ['http://127.1', LOOPBACK],
    ['http://[::1]', LOOPBACK],
    ['http://[::ffff:127.0.0.1]', LOOPBACK],
    ['http://localhost:8080', LOOPBACK],
    ['http://LOCALHOST.', LOOPBACK],
    ['http://speaker.localhost', LOOPBACK],
    ['http://169.254.169.254', expect.stringMatching(/^a link-local address/)],
    ['http://[fe80::1]', expect.stringMatching(/^a link-local address/)],
    ['http://[::ffff:169.254.169.254]', expect.stringMatching(/^a link-local address/)],
    ['http://224.0.0.1', 'a multicast address'],
    ['http://[ff02::1]', 'a multicast address'],
    ['http://0.0.0.0', expect.stringMatching(/^an unspecified address/)],
    ['http://[::]', expect.stringMatching(/^an unspecified address/)],
    ['http://255.255.255.255', 'the broadcast address'],
  ])('refuses %s, written as a number or a name', async (url, reason) => {
    expect(await refusedDeviceHost(host(url), false)).toEqual(reason);
  });

  it.each(['http://10.0.0.5', 'http://172.16.4.2', 'http://192.168.1.20:8080', 'http://100.64.0.7', 'http://[fd00::5]', 'http://203.113.131.1'])(
    'lets the field networks through: %s',
    async (url) => {
      expect(await refusedDeviceHost(host(url), false)).toBeNull();
    },
  );

  it('lets loopback through when allowed, and still never link-local, multicast or unspecified', async () => {
    for (const url of ['http://127.0.0.1', 'http://0x7f000001', 'http://[::1]', 'http://[::ffff:127.0.0.1]', 'http://localhost']) {
      expect(await refusedDeviceHost(host(url), true)).toBeNull();
    }
    for (const url of ['http://169.254.169.254', 'http://224.0.0.1', 'http://0.0.0.0']) expect(await refusedDeviceHost(host(url), true)).not.toBeNull();
  });

  it('judges a name by every address it resolves to', async () => {
    const resolving = (addresses: string[]) => async () => addresses;
    expect(await refusedDeviceHost(host('http://loa.field.vn'), false, resolving(['10.0.0.5', '127.0.0.1']))).toBe(
      `${LOOPBACK}: loa.field.vn resolves to 127.0.0.1`,
    );
    expect(await refusedDeviceHost(host('http://metadata.field.vn'), true, resolving(['169.254.169.254']))).toMatch(/^a link-local address/);
    expect(await refusedDeviceHost(host('http://loa.field.vn'), false, resolving(['10.0.0.5']))).toBeNull();
  });

  it('lets a name that does not resolve here through: the connection checks again', async () => {
    const unknown = async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    expect(await refusedDeviceHost(host('http://loa-cum-1.thon'), false, unknown)).toBeNull();
  });

  it('reads only IP addresses as addresses', () => {
    expect(refusedAddress('speaker.example.vn', false)).toBeNull();
    expect(refusedAddress('::ffff:7f00:1', false)).toBe(LOOPBACK);
  });
});
