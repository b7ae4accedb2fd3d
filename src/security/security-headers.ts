import type { NextFunction, Request, Response } from 'express';

/**
 * The console loads only its own files: no inline script or style, no other origin, never inside a frame.
 * Audio plays from blob: URLs (fetched with the bearer token); the favicon is an empty data: URL.
 */
const CONSOLE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Swagger UI (`/api/docs`) writes its page with inline styles; its scripts are still files of this origin. */
const API_DOCS_POLICY = CONSOLE_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

const HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // Browsers honour it only over HTTPS, i.e. behind the TLS proxy of a deployment.
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Express middleware: every response of the API and the console carries these headers. */
export function securityHeaders(apiDocsPath: string) {
  const isApiDocs = (path: string) => path === apiDocsPath || path.startsWith(`${apiDocsPath}/`) || path.startsWith(`${apiDocsPath}-`);
  return (request: Request, response: Response, next: NextFunction): void => {
    response.setHeader('Content-Security-Policy', isApiDocs(request.path) ? API_DOCS_POLICY : CONSOLE_POLICY);
    for (const [name, value] of Object.entries(HEADERS)) response.setHeader(name, value);
    next();
  };
}
