import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import { Repository } from 'typeorm';
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

const MAX_USER_AGENT = 300;

/** Appends to the audit log. A failure to write is logged loudly but never hides the action's own answer. */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  async record(event: AuditEvent, request?: Request): Promise<void> {
    try {
      await this.entries.insert({
        actorId: event.actorId ?? null,
        actorUsername: event.actorUsername ?? null,
        action: event.action,
        resourceType: event.resourceType ?? null,
        resourceId: event.resourceId ?? null,
        outcome: event.outcome,
        statusCode: event.statusCode ?? null,
        ip: request?.ip ?? null,
        userAgent: request?.headers['user-agent']?.slice(0, MAX_USER_AGENT) ?? null,
        details: (event.details ?? null) as AuditEntry['details'] & object,
      });
    } catch (error) {
      this.logger.error({ err: error, event }, 'Could not write to the audit log');
    }
  }
}
