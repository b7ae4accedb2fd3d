import { createHmac } from 'node:crypto';

const base64url = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Builds a JWT by hand, so tests can make exactly the malformed or forged tokens an attacker would. */
export function forgeToken(header: Record<string, unknown>, payload: Record<string, unknown>, key: string | null): string {
  const unsigned = `${base64url(header)}.${base64url(payload)}`;
  if (key === null) return `${unsigned}.`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
}
