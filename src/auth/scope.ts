import { NotFoundException } from '@nestjs/common';
import { AuthUser } from './auth-user';
import { Role } from './role';

/**
 * The communes a caller may see, or null for all (admins). Operators see the communes of their villages,
 * resolved by the caller because it needs the village table.
 */
export function communeScope(user: AuthUser): string[] | null {
  return user.role === Role.Admin ? null : user.communeIds;
}

export function villageScope(user: AuthUser): string[] | null {
  return user.role === Role.Admin ? null : user.villageIds;
}

export function inScope(scope: string[] | null, id: string): boolean {
  return scope === null || scope.includes(id);
}

/**
 * The answer for a resource outside the caller's scope: the same 404 as for one that does not exist, so a
 * caller cannot learn what other communes hold. The attempt is logged by the audit interceptor.
 */
export class OutOfScopeException extends NotFoundException {
  readonly outOfScope = true;
}
