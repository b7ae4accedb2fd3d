import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import { Repository } from 'typeorm';
import { escapeForbiddenCharacters } from '../common/forbidden-characters';
import { AuditEntry, AuditOutcome } from './audit-entry.entity';

export interface AuditEvent {
  actorId?: string | null;
  actorUsername?: string | null;
  action: string;
  resourceType?: string | null;
  resourceId?: string | null;
  outcome: AuditOutcome;
  statusCode?: number | null;
  details?: Record<string, unknown> | null;
}

/** Where an action came from, when it is recorded after its request is gone. */
export interface AuditOrigin {
  ip: string | null;
  userAgent: string | null;
}

const MAX_USER_AGENT = 300;

function originOf(request: Request | undefined): AuditOrigin {
  return { ip: request?.ip ?? null, userAgent: request?.headers['user-agent'] ?? null };
}

/** Text as the log keeps it: a control character a caller slipped in is written out (`\u0000`), never stored. */
function printable(text: string | null | undefined): string | null {
  return text === null || text === undefined ? null : escapeForbiddenCharacters(text);
}

/** The details with every string printable (jsonb refuses NUL outright, which would lose the whole entry). */
function printableDetails(details: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!details) return null;
  return JSON.parse(JSON.stringify(details, (_key, value: unknown) => (typeof value === 'string' ? printable(value) : value))) as Record<string, unknown>;
}

/** Appends to the audit log. A failure to write is logged loudly but never hides the action's own answer. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async record(event: AuditEvent, from?: Request | AuditOrigin): Promise<void> {
    const origin = from && 'headers' in from ? originOf(from) : (from ?? originOf(undefined));
    try {
      await this.entries.insert({
        actorId: event.actorId ?? null,
        actorUsername: printable(event.actorUsername),
        action: escapeForbiddenCharacters(event.action),
        resourceType: printable(event.resourceType),
        resourceId: printable(event.resourceId),
        outcome: event.outcome,
        statusCode: event.statusCode ?? null,
        ip: origin.ip,
        userAgent: printable(origin.userAgent?.slice(0, MAX_USER_AGENT)),
        details: printableDetails(event.details) as AuditEntry['details'] & object,
      });
    } catch (error) {
      this.logger.error({ err: error, event }, 'Could not write to the audit log');
    }
  }
}
