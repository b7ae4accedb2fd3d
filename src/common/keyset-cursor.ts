import { ValidateBy, ValidationOptions } from 'class-validator';

/** Where a page of a list ordered by (instant, id) ended: the next page starts after it. */
export interface KeysetCursor {
  at: Date;
  id: string;
}

const SHAPE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** `2026-11-03T23:00:00.000Z|<uuid>`: readable, and safe in a query string. */
export function encodeCursor(cursor: KeysetCursor): string {
  return `${cursor.at.toISOString()}|${cursor.id}`;
}

/** The cursor, or null when the text is not one this service wrote (a real instant and a real id). */
export function decodeCursor(text: string): KeysetCursor | null {
  const match = SHAPE.exec(text);
  if (!match) return null;
  const at = new Date(match[1]);
  return Number.isNaN(at.getTime()) || at.toISOString() !== match[1] ? null : { at, id: match[2] };
}

/** A query parameter that must be a cursor from a previous page's `next`. */
export function IsKeysetCursor(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isKeysetCursor', validator: { validate: (value: unknown) => typeof value === 'string' && decodeCursor(value) !== null } }, options);
}
