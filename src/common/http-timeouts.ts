import type { Server } from 'node:http';
import { AppConfig } from '../config/app-config';

/**
 * Bounds how long a client may hold a connection without finishing its request: the headers within
 * HTTP_HEADERS_TIMEOUT_SECONDS, the whole request within HTTP_REQUEST_TIMEOUT_SECONDS. Node answers 408 and closes.
 * Must run before the server listens, when Node starts its connection checks. Uploads also have their own, shorter,
 * limit on time without progress (upload/multipart-upload.ts).
 */
export function applyHttpTimeouts(server: Server, config: AppConfig): void {
  server.headersTimeout = config.http.headersTimeoutMs;
  server.requestTimeout = config.http.requestTimeoutMs;
}
