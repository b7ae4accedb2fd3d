import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { communeScope, villageScope } from '../auth/scope';

/** Who may see a change on the live feed: the same scope as `GET /api/playbacks` (operators: their villages). */
export type LiveAudience = { all: true } | { villageIds: ReadonlySet<string> } | { communeIds: ReadonlySet<string> };

export interface Placed {
  communeId: string;
  villageId: string;
}

export function audienceOf(caller: AuthUser): LiveAudience {
  if (caller.role === Role.Operator) return { villageIds: new Set(villageScope(caller) ?? []) };
  const communes = communeScope(caller);
  return communes === null ? { all: true } : { communeIds: new Set(communes) };
}

export function sees(audience: LiveAudience, item: Placed): boolean {
  if ('all' in audience) return true;
  if ('villageIds' in audience) return audience.villageIds.has(item.villageId);
  return audience.communeIds.has(item.communeId);
}
