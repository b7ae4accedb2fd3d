import { IsUrl } from 'class-validator';

/** A device's base URL: http or https, a host (an IP address is fine), no credentials, query or fragment. */
export function IsDeviceBaseUrl(example: string): PropertyDecorator {
  return IsUrl(
    {
      protocols: ['http', 'https'],
      require_protocol: true,
      require_tld: false,
      disallow_auth: true,
      allow_query_components: false,
      allow_fragments: false,
      allow_underscores: true,
    },
    { message: `$property must be an http or https base URL without credentials or query, such as ${example}` },
  );
}

/** `base` + `path`, whatever the trailing slash of the stored base URL. */
export function deviceUrl(base: string, path: string): URL {
  return new URL(`${base.replace(/\/+$/, '')}${path}`);
}

/** The device a network driver's settings point at (each names it `url`, an `IsDeviceBaseUrl`), or null for a driver with none. */
export function settingsDeviceUrl(settings: object): URL | null {
  const { url } = settings as { url?: unknown };
  return typeof url === 'string' ? new URL(url) : null;
}
