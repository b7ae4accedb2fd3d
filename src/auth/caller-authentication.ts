import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import { Repository } from 'typeorm';
import { User } from '../users/user.entity';
import { AuthUser } from './auth-user';
import { TokenService } from './token.service';

/** The bearer token of a request, or null without one. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

/**
 * Who a bearer token stands for now: checked against the current user row (disabled, token version) and the
 * revocation list, so a disabled account or a sign-out takes effect at once. Throws 401 saying why not.
 */
@Injectable()
export class CallerAuthentication {
  constructor(
    private readonly tokens: TokenService,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  async authenticate(token: string): Promise<AuthUser> {
    const claims = await this.tokens.verify(token);
    const user = await this.users.findOneBy({ id: claims.sub });
    if (!user) throw new UnauthorizedException('The sign-in token is not valid; sign in again');
    if (user.disabled) throw new UnauthorizedException('This account is disabled; ask the administrator');
    if (user.tokenVersion !== claims.ver) {
      throw new UnauthorizedException('This sign-in has ended (password changed or signed out everywhere); sign in again');
    }
    if (await this.tokens.isRevoked(claims.jti)) throw new UnauthorizedException('You signed out; sign in again');
    return {
      id: user.id,
      username: user.username,
      role: user.role,
      communeIds: user.communeIds,
      villageIds: user.villageIds,
      tokenId: claims.jti,
      tokenExpiresAt: new Date(claims.exp * 1000),
    };
  }
}
