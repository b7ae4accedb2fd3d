import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * The console loads only its own files: no inline script or style, no other origin, never inside a frame.
 * Audio plays from blob: URLs (fetched with the bearer token); the favicon is an empty data: URL.
 */
const CONSOLE_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  mediaSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Helmet with the console's policy, or another: nosniff, no referrer, HSTS, no framing, a window of its own. */
function headers(directives: typeof CONSOLE_DIRECTIVES) {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives },
    referrerPolicy: { policy: 'no-referrer' },
    // Browsers honour it only over HTTPS, i.e. behind the TLS proxy of a deployment.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    xFrameOptions: { action: 'deny' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    // The console and its media are served by this origin only; nothing here is meant for embedding elsewhere.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/** Express middleware: every response of the API and the console carries these headers. */
export function securityHeaders(apiDocsPath: string) {
  const isApiDocs = (path: string) => path === apiDocsPath || path.startsWith(`${apiDocsPath}/`) || path.startsWith(`${apiDocsPath}-`);
  const console = headers(CONSOLE_DIRECTIVES);
  // Swagger UI (`/api/docs`) writes its page with inline styles; its scripts are still files of this origin.
  const apiDocs = headers({ ...CONSOLE_DIRECTIVES, styleSrc: ["'self'", "'unsafe-inline'"] });
  return (request: Request, response: Response, next: NextFunction): void => (isApiDocs(request.path) ? apiDocs : console)(request, response, next);
}
