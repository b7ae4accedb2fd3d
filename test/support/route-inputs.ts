import { Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { getMetadataStorage } from 'class-validator';
import { Route } from './route-table';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- class-transformer types its metadata storage under types/, not beside cjs/storage.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/** What a route reads from the request, from Nest's handler metadata and class-validator's metadata of its DTOs. */
export interface RouteInputs {
  /** Every field its JSON body DTO accepts, nested DTOs as dotted paths (`targets.villageIds`); empty without a body DTO. */
  bodyFields: string[];
  /** Every query parameter: the query DTO's fields and parameters read by name. */
  queryParameters: string[];
  /** The `:name` parameters of its path. */
  pathParameters: string[];
}

interface RouteArgument {
  index: number;
  data?: unknown;
}

/** Every property class-validator knows on `dto` (the whitelist), nested DTOs expanded to dotted paths. */
export function dtoFields(dto: Type, prefix = ''): string[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const names = [...new Set(metadatas.map((metadata) => metadata.propertyName))];
  return names.flatMap((name) => {
    const nested = metadatas.some((metadata) => metadata.propertyName === name && metadata.type === 'nestedValidation');
    const type = nested ? defaultMetadataStorage.findTypeMetadata(dto, name)?.typeFunction() : undefined;
    return typeof type === 'function' ? dtoFields(type as Type, `${prefix}${name}.`) : [`${prefix}${name}`];
  });
}

export function routeInputs(route: Route): RouteInputs {
  const argumentsByKey = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.handler) ?? {}) as Record<string, RouteArgument>;
  const types = (Reflect.getMetadata('design:paramtypes', route.controller.prototype, route.handler) ?? []) as Type[];
  const argumentsOf = (kind: RouteParamtypes) =>
    Object.entries(argumentsByKey)
      .filter(([key]) => key.split(':')[0] === String(kind))
      .map(([, argument]) => argument);
  const fieldsOf = (argument: RouteArgument) =>
    typeof argument.data === 'string' ? [argument.data] : types[argument.index] && types[argument.index] !== Object ? dtoFields(types[argument.index]) : [];
  return {
    bodyFields: argumentsOf(RouteParamtypes.BODY).flatMap(fieldsOf),
    queryParameters: argumentsOf(RouteParamtypes.QUERY).flatMap(fieldsOf),
    pathParameters: [...route.key.matchAll(/:(\w+)/g)].map((match) => match[1]),
  };
}
