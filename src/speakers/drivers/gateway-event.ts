import { IsIn, IsISO8601, Length, Matches, ValidateIf } from 'class-validator';
import { validateObject } from './driver-config';
import { NonceSeen, SignedMessage, SignatureVerdict, verifySignedOnce } from './gateway-signature';

export const GATEWAY_EVENT_NAMES = ['started', 'finished', 'failed'] as const;
export type GatewayEventName = (typeof GATEWAY_EVENT_NAMES)[number];

/** What an http-gateway posts back to Loa about one playback, signed like Loa's commands. */
export class GatewayEvent {
  @Length(1, 128, { message: 'playbackId must be the id Loa sent, 1 to 128 characters' })
  playbackId: string;

  @IsIn(GATEWAY_EVENT_NAMES, { message: `event must be one of ${GATEWAY_EVENT_NAMES.join(', ')}` })
  event: GatewayEventName;

  @IsISO8601({ strict: true }, { message: 'at must be an ISO 8601 date-time' })
  at: string;

  /** Required when the playback failed, so the record can say why. */
  @ValidateIf((event: GatewayEvent) => event.event === 'failed' || event.reason !== undefined)
  @Length(1, 500, { message: 'reason must say in 1 to 500 characters why the playback failed' })
  reason?: string;

  @Matches(/^[A-Za-z0-9_-]{16,128}$/, { message: 'nonce must be 16 to 128 letters, digits, - or _' })
  nonce: string;
}

export type GatewayEventVerdict =
  { ok: true; event: GatewayEvent } | { ok: false; reason: 'invalid'; problems: string[] } | Extract<SignatureVerdict, { ok: false }>;

/**
 * Everything Loa checks before believing a gateway's event: its shape, its signature and timestamp under the
 * speaker's key, and that its nonce was never seen. `message.body` must be the raw request body.
 */
export async function verifyGatewayEvent(message: SignedMessage, seen: NonceSeen): Promise<GatewayEventVerdict> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.body.toString());
  } catch {
    return { ok: false, reason: 'invalid', problems: ['the body must be JSON'] };
  }
  const result = validateObject(GatewayEvent, parsed, 'body');
  if ('problems' in result) return { ok: false, reason: 'invalid', problems: result.problems };
  const verdict = await verifySignedOnce(message, result.value.nonce, seen);
  return verdict.ok ? { ok: true, event: result.value } : verdict;
}
