import { SetMetadata } from '@nestjs/common';
import { Role } from './role';

export const ACCESS_RULE = 'loa:access-rule';

export type AccessRule = { public: true; reason: string } | { public: false; roles: readonly Role[] };

/**
 * Open to anyone, without a token. The reason is required so that every exception to "deny by default"
 * says why (e.g. "device callback signed with HMAC").
 */
export const Public = (reason: string) => SetMetadata(ACCESS_RULE, { public: true, reason } satisfies AccessRule);

/** Open to these roles, with a valid token; data access is further limited to the caller's scope. */
export const Allow = (...roles: Role[]) => SetMetadata(ACCESS_RULE, { public: false, roles } satisfies AccessRule);
