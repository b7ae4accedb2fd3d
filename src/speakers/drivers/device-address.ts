import { lookup, promises as dns } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The refusal of a loopback address, which SPEAKER_ALLOW_LOOPBACK lifts. */
export const LOOPBACK = 'a loopback address (this machine itself)';
// Never a speaker, whatever the setting: cloud metadata (169.254.169.254) lives in the link-local range.
const NEVER: Partial<Record<string, string>> = {
  linkLocal: 'a link-local address (169.254.0.0/16 or fe80::/10, where cloud metadata services answer)',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  unspecified: 'an unspecified address (0.0.0.0 or ::)',
};

/** A host as it stands in a URL: IPv6 without its brackets. */
function bare(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

/** RFC 6761: `localhost` and every name under it mean this machine, whatever DNS says. */
function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/**
 * Why no speaker may be at this IP address (an IPv4-mapped IPv6 address counts as its IPv4 address), or null when
 * one may: loopback unless `allowLoopback`, and never link-local, multicast, broadcast or unspecified.
 */
export function refusedAddress(address: string, allowLoopback: boolean): string | null {
  const literal = bare(address);
  if (!isIP(literal)) return null;
  const range = ipaddr.process(literal).range();
  if (range === 'loopback') return allowLoopback ? null : LOOPBACK;
  return NEVER[range] ?? null;
}

/**
 * Why no speaker may be at `url`'s host, by its name, its number or what the name resolves to now; null when one may.
 * A name that does not resolve here is let through: the field network may name it, and each connection checks again.
 */
export async function refusedDeviceHost(url: URL, allowLoopback: boolean, resolve: (host: string) => Promise<string[]> = resolveHost): Promise<string | null> {
  const host = bare(url.hostname);
  if (isIP(host)) return refusedAddress(host, allowLoopback);
  if (isLocalhostName(host)) return allowLoopback ? null : LOOPBACK;
  const addresses = await resolve(host).catch((): string[] => []);
  for (const address of addresses) {
    const refused = refusedAddress(address, allowLoopback);
    if (refused) return `${refused}: ${host} resolves to ${address}`;
  }
  return null;
}

/** Every address of `host`, as a connection would resolve it. */
async function resolveHost(host: string): Promise<string[]> {
  return (await dns.lookup(host, { all: true })).map(({ address }) => address);
}

/** Set on the error of a connection refused by `deviceLookup`. */
export const REFUSED_ADDRESS = 'ELOAREFUSEDADDRESS';

/**
 * A `lookup` for a device connection that resolves as Node does and fails, before any connection, when any address
 * of the name is one `refusedAddress` refuses (a name turned to 127.0.0.1 after it was saved).
 */
export function deviceLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      if (addresses.some(({ address }) => refusedAddress(address, allowLoopback) !== null)) {
        return callback(Object.assign(new Error(`${hostname} resolves to an address no speaker may have`), { code: REFUSED_ADDRESS }), '');
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      callback(null, first.address, first.family);
    });
  };
}
