import type { Server } from 'node:http';
import { AppConfig } from '../config/app-config';

/** How often Node checks open connections against the timeouts below (its default, 30 s, would blur a 20 s limit). */
const CHECK_INTERVAL_MS = 1000;

/**
 * Bounds how long a client may hold a connection without finishing its request: the headers within
 * HTTP_HEADERS_TIMEOUT_SECONDS, the whole request within HTTP_REQUEST_TIMEOUT_SECONDS. Node answers 408 and closes.
 * Must run before the server listens, when Node starts its connection checks. Uploads also have their own, shorter,
 * limit on time without progress (upload/multipart-upload.ts).
 */
export function applyHttpTimeouts(server: Server, config: AppConfig): void {
  server.headersTimeout = config.http.headersTimeoutMs;
  server.requestTimeout = config.http.requestTimeoutMs;
  // Read by Node when the server starts listening (Node ≥ 18.12; not in @types/node 20).
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = CHECK_INTERVAL_MS;
}
