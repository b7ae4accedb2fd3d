import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Role } from './role';

/** The caller, as established by the access guard from a valid token and the current user row. */
export interface AuthUser {
  id: string;
  username: string;
  role: Role;
  communeIds: string[];
  villageIds: string[];
  tokenId: string;
  tokenExpiresAt: Date;
}

export interface AuthenticatedRequest extends Request {
  user?: AuthUser;
  /** Who a public request (a login) claimed to be, for the audit log. */
  claimedUsername?: string;
}

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a route without an authenticated caller');
  return user;
});
