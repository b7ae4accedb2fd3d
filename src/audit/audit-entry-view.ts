import { AuditEntry } from './audit-entry.entity';

/** A user's name as the audit log shows it. */
export interface PersonName {
  username: string;
  displayName: string;
}

/** An audit entry as the API answers it: with the names of the one who acted and, for an account, of the one acted on. */
export interface AuditEntryView extends AuditEntry {
  actorName: string | null;
  targetName: string | null;
}

/** The ids of accounts an entry names: its actor, and its resource when that is an account. */
export function peopleIn(entry: AuditEntry): string[] {
  return [entry.actorId, entry.resourceType === 'users' ? entry.resourceId : null].filter((id): id is string => id !== null);
}

export function toAuditEntryView(entry: AuditEntry, names: Map<string, PersonName>): AuditEntryView {
  const target = entry.resourceType === 'users' && entry.resourceId ? names.get(entry.resourceId) : undefined;
  return {
    ...entry,
    actorName: (entry.actorId && names.get(entry.actorId)?.displayName) || null,
    targetName: target?.username ?? null,
  };
}
