/** Where a path segment is itself a credential: a signed media link lets whoever holds it fetch the audio. */
const CREDENTIAL_SEGMENTS: readonly RegExp[] = [/^(\/api\/media\/)[^/?#]+/];

export function redactUrl(url: string): string {
  return CREDENTIAL_SEGMENTS.reduce((redacted, pattern) => redacted.replace(pattern, '$1[Redacted]'), url);
}

interface LoggedRequest {
  url?: string;
  params?: unknown;
  [field: string]: unknown;
}

/**
 * pino-http's request serializer, after the standard one: the access log keeps the route, never the credential.
 * `params` go: they are the URL's segments again (the logger's own catch-all route), token included.
 */
export function redactRequest(request: LoggedRequest): LoggedRequest {
  const { params: _segments, ...logged } = request;
  return request.url === undefined ? logged : { ...logged, url: redactUrl(request.url) };
}
