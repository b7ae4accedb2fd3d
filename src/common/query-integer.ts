import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Plain digits only: `1e3`, `0x10`, `1.5`, `-1`, `NaN` or ` 7` stay text, and are refused as not a whole number. */
const DIGITS = /^\d{1,15}$/;

/**
 * Highest page of an offset-paged list: times the largest page size (1000) the offset stays far inside
 * PostgreSQL's range, so no page number can overflow the query. Longer lists are narrowed by their filters.
 */
export const MAX_PAGE = 100_000;

interface QueryIntegerOptions {
  min: number;
  max: number;
  /** The value used when the parameter is left out (documentation; the DTO or the handler applies it). */
  default: number;
  description?: string;
}

/** An optional whole-number query parameter within [min, max]; anything else answers 400 stating the range. */
export function QueryInteger(options: QueryIntegerOptions): PropertyDecorator {
  const message = `$property must be a whole number from ${options.min} to ${options.max}`;
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: options.min, maximum: options.max, default: options.default, description: options.description }),
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DIGITS.test(value) ? Number(value) : value)),
    IsInt({ message }),
    Min(options.min, { message }),
    Max(options.max, { message }),
  );
}

/** `page` of an offset-paged list, from 1. */
export const PageNumber = (): PropertyDecorator => QueryInteger({ min: 1, max: MAX_PAGE, default: 1, description: 'Page to read, from 1' });

/** `pageSize` of an offset-paged list, at most `max` items. */
export const PageSize = (max: number, byDefault: number): PropertyDecorator =>
  QueryInteger({ min: 1, max, default: byDefault, description: `Items per page, at most ${max}` });
