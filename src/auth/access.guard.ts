import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditService } from '../audit/audit.service';
import { UnauthenticatedDenials } from '../audit/unauthenticated-denials';
import { ACCESS_RULE, AccessRule } from './access.decorators';
import { AuthenticatedRequest } from './auth-user';
import { bearerToken, CallerAuthentication } from './caller-authentication';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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
    private readonly callers: CallerAuthentication,
    private readonly audit: AuditService,
    private readonly unauthenticated: UnauthenticatedDenials,
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
    request.user = await this.callers.authenticate(token);
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
