import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { Speaker } from './speaker.entity';

/**
 * What a device answered (a status or check detail) may hold anything its address served, so only admins, who set
 * the address, see it; others see the status alone.
 */
export function deviceTextFor(caller: AuthUser, text: string | null): string | null {
  return caller.role === Role.Admin ? text : null;
}

/** What the API says about a speaker: everything but its secrets, of which only the names are told. */
export interface SpeakerView {
  id: string;
  villageId: string;
  communeId: string | null;
  name: string;
  driver: Speaker['driver'];
  settings: Record<string, unknown>;
  secretsSet: boolean;
  location: { lat: number; lng: number } | null;
  tags: string[];
  enabled: boolean;
  status: Speaker['status'];
  statusDetail: string | null;
  statusChangedAt: Date | null;
  lastSeenAt: Date | null;
  lastCheckedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toSpeakerView(speaker: Speaker, caller: AuthUser): SpeakerView {
  return {
    id: speaker.id,
    villageId: speaker.villageId,
    communeId: speaker.village?.communeId ?? null,
    name: speaker.name,
    driver: speaker.driver,
    settings: speaker.settings,
    secretsSet: speaker.secretsSealed !== null,
    location: speaker.latitude !== null && speaker.longitude !== null ? { lat: speaker.latitude, lng: speaker.longitude } : null,
    tags: speaker.tags,
    enabled: speaker.enabled,
    status: speaker.status,
    statusDetail: deviceTextFor(caller, speaker.statusDetail),
    statusChangedAt: speaker.statusChangedAt,
    lastSeenAt: speaker.lastSeenAt,
    lastCheckedAt: speaker.lastCheckedAt,
    createdAt: speaker.createdAt,
    updatedAt: speaker.updatedAt,
  };
}
