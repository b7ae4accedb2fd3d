import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { catchError, concatMap, from, Observable, throwError } from 'rxjs';
import { ACCESS_RULE, AccessRule } from '../auth/access.decorators';
import type { AuthenticatedRequest } from '../auth/auth-user';
import { OutOfScopeException } from '../auth/scope';
import { AuditOutcome } from './audit-entry.entity';
import { AuditService } from './audit.service';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The status Nest will answer with: the handler's @HttpCode, else 201 for POST and 200 otherwise. */
function successStatus(context: ExecutionContext, method: string): number {
  return Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? (method === 'POST' ? 201 : 200);
}

/** Request fields that say which of several things a route did (lock or unlock, which role), kept with its entry. */
const TELLING_FIELDS = ['disabled', 'role'] as const;

function tellingFields(body: unknown): Record<string, unknown> | null {
  if (!body || typeof body !== 'object') return null;
  const kept = Object.fromEntries(TELLING_FIELDS.filter((name) => name in body).map((name) => [name, (body as Record<string, unknown>)[name]]));
  return Object.keys(kept).length ? kept : null;
}

function resourceTypeOf(routePath: string): string | null {
  return /^\/api\/([^/]+)/.exec(routePath)?.[1] ?? null;
}

/**
 * Records every mutation by a signed-in caller, and every attempt to reach a resource outside the caller's
 * scope. Public routes (login, device callbacks) record their own events, with what they know.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditService,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (!rule || rule.public) return next.handle();
    const mutation = !READ_METHODS.has(request.method);
    const record = (outcome: AuditOutcome, statusCode: number, resourceId: unknown, details: Record<string, unknown> | null) =>
      this.audit.record(
        {
          actorId: request.user?.id,
          actorUsername: request.user?.username,
          action: `${request.method} ${request.route?.path ?? request.path}`,
          resourceType: resourceTypeOf(request.route?.path ?? request.path),
          resourceId: typeof resourceId === 'string' ? resourceId : null,
          outcome,
          statusCode,
          details,
        },
        request,
      );

    // Recorded before the answer leaves, so whoever reads the log next sees the action.
    return next.handle().pipe(
      concatMap(async (body: unknown) => {
        if (mutation) {
          const created = (body as { id?: unknown } | null)?.id;
          await record('success', successStatus(context, request.method), request.params?.id ?? created, tellingFields(request.body));
        }
        return body;
      }),
      catchError((error: unknown) => {
        const outOfScope = error instanceof OutOfScopeException;
        if (!mutation && !outOfScope) return throwError(() => error);
        const status = error instanceof HttpException ? error.getStatus() : 500;
        const recorded = record(outOfScope ? 'denied' : 'failure', status, request.params?.id ?? null, { message: (error as Error).message });
        return from(recorded).pipe(concatMap(() => throwError(() => error)));
      }),
    );
  }
}
