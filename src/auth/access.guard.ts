import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { UnauthenticatedDenials } from '../audit/unauthenticated-denials';
import { User } from '../users/user.entity';
import { ACCESS_RULE, AccessRule } from './access.decorators';
import { AuthenticatedRequest } from './auth-user';
import { TokenService } from './token.service';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerToken(request: AuthenticatedRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

/**
 * Deny by default: every route declares @Public(reason) or @Allow(...roles). A route without a rule is refused.
 * The caller is re-read from the database on every request, so a disabled account or a raised token version
 * takes effect at once.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly unauthenticated: UnauthenticatedDenials,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!rule) {
      this.logger.error({ route: `${request.method} ${request.route?.path}` }, 'Route has no access rule; refused');
      throw new ForbiddenException('This route has no access rule');
    }
    if (rule.public) return true;

    try {
      await this.authenticate(request);
    } catch (error) {
      // Anyone can send these, as fast as they like: tallied per address and window, not a row each.
      if (!READ_METHODS.has(request.method)) await this.unauthenticated.count(request, this.actionOf(request));
      throw error;
    }
    const user = request.user!;
    if (!rule.roles.includes(user.role)) {
      await this.recordDenied(request, 403);
      throw new ForbiddenException(`Your role (${user.role}) may not do this; it is open to: ${rule.roles.join(', ')}`);
    }
    return true;
  }

  private async authenticate(request: AuthenticatedRequest): Promise<void> {
    const token = bearerToken(request);
    if (!token) throw new UnauthorizedException('Sign in first: send "Authorization: Bearer <token>" from POST /api/auth/login');
    const claims = await this.tokens.verify(token);
    const user = await this.users.findOneBy({ id: claims.sub });
    if (!user) throw new UnauthorizedException('The sign-in token is not valid; sign in again');
    if (user.disabled) throw new UnauthorizedException('This account is disabled; ask the administrator');
    if (user.tokenVersion !== claims.ver) {
      throw new UnauthorizedException('This sign-in has ended (password changed or signed out everywhere); sign in again');
    }
    if (await this.tokens.isRevoked(claims.jti)) throw new UnauthorizedException('You signed out; sign in again');
    request.user = {
      id: user.id,
      username: user.username,
      role: user.role,
      communeIds: user.communeIds,
      villageIds: user.villageIds,
      tokenId: claims.jti,
      tokenExpiresAt: new Date(claims.exp * 1000),
    };
  }

  private actionOf(request: AuthenticatedRequest): string {
    return `${request.method} ${request.route?.path ?? request.path}`;
  }

  private recordDenied(request: AuthenticatedRequest, statusCode: number): Promise<void> {
    return this.audit.record(
      {
        actorId: request.user?.id,
        actorUsername: request.user?.username,
        action: this.actionOf(request),
        resourceId: typeof request.params?.id === 'string' ? request.params.id : null,
        outcome: 'denied',
        statusCode,
      },
      request,
    );
  }
}
