import { BadRequestException, CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { controlCharacterProblem } from './forbidden-characters';
import { nestedDeeperThan, textsOf } from './json-walk';

/** Deepest real payload: a schedule's `targets.villageIds` list is 3 levels; this leaves room for any device settings. */
export const MAX_JSON_DEPTH = 32;

function firstProblem(value: unknown, kind: string): string | null {
  for (const { field, text } of textsOf(value)) {
    const problem = controlCharacterProblem(`${kind}${field}`, text);
    if (problem) return problem;
  }
  return null;
}

/**
 * Refuses input no route can use, before anything reads it: JSON nested too deep for the validation pipe's
 * recursion, and control characters in the route parameters, the query or the body. A global guard, because
 * global guards run before the access guard (which writes refusals to the audit log), the interceptors and the
 * pipes, so such input never reaches PostgreSQL, the audit log or an error log. Multipart uploads are read by
 * their route and checked there with the same rule.
 */
@Injectable()
export class InputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (nestedDeeperThan(request.body, MAX_JSON_DEPTH)) {
      throw new BadRequestException(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels; no request to this service needs that many`);
    }
    const problem = firstProblem(request.params, 'route parameter ') ?? firstProblem(request.query, 'query parameter ') ?? firstProblem(request.body, '');
    if (problem) throw new BadRequestException(problem);
    return true;
  }
}
