import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ACCESS_RULE, AccessRule } from '../../src/auth/access.decorators';

export interface Route {
  /** e.g. `POST /api/bulletins/:id/approve` */
  key: string;
  rule: AccessRule | undefined;
  /** The controller class and handler name, to read the route's other metadata (its DTOs). */
  controller: Type;
  handler: string;
}

function joinPath(...parts: string[]): string {
  return `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;
}

/** Every HTTP route the application serves, read from Nest's own controller metadata, with its access rule. */
export function routeTable(app: INestApplication, globalPrefix = 'api'): Route[] {
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as { prototype: Record<string, unknown> } | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (typeof handler !== 'function' || !Reflect.hasMetadata(METHOD_METADATA, handler)) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        const path = joinPath(globalPrefix, base, Reflect.getMetadata(PATH_METADATA, handler) as string);
        const rule = (Reflect.getMetadata(ACCESS_RULE, handler) ?? Reflect.getMetadata(ACCESS_RULE, controller)) as AccessRule | undefined;
        routes.push({ key: `${method} ${path}`, rule, controller: wrapper.metatype as Type, handler: name });
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}
