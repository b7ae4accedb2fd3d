import 'reflect-metadata';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import type { SpeakerDriver } from './speaker-driver';

/** A speaker's settings or secrets do not fit its driver; `problems` name each field, never its value. */
export class DriverConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'DriverConfigError';
  }
}

function messages(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((error) =>
    Object.entries(error.constraints ?? {}).map(([constraint, message]) =>
      constraint === 'whitelistValidation' ? `${prefix}.${error.property} is not a known field` : `${prefix}.${message}`,
    ),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates `raw` against a class-validator DTO, refusing unknown fields; returns the problems, each prefixed
 * with `prefix` (e.g. `settings.url must be …`), or the validated instance.
 */
export function validateObject<T extends object>(type: ClassConstructor<T>, raw: unknown, prefix: string): { value: T } | { problems: string[] } {
  if (!isPlainObject(raw)) return { problems: [`${prefix} must be an object`] };
  const value = plainToInstance(type, raw, { enableImplicitConversion: false });
  const errors = validateSync(value, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return errors.length > 0 ? { problems: messages(errors, prefix) } : { value };
}

function validatePart<T extends object>(type: ClassConstructor<T> | null, raw: unknown, part: 'settings' | 'secrets', driver: string): T {
  if (type === null) {
    if (raw === undefined || raw === null || (isPlainObject(raw) && Object.keys(raw).length === 0)) return {} as T;
    throw new DriverConfigError([`${part} must be empty: the ${driver} driver takes no ${part}`]);
  }
  const result = validateObject(type, raw ?? {}, part);
  if ('problems' in result) throw new DriverConfigError(result.problems);
  return result.value;
}

/** The speaker's settings as its driver needs them, or a DriverConfigError naming every bad field. */
export function validateDriverSettings<S extends object>(driver: SpeakerDriver<S, object>, raw: unknown): S {
  return validatePart(driver.settingsClass, raw, 'settings', driver.name);
}

/** The speaker's secrets as its driver needs them; messages never repeat a secret's value. */
export function validateDriverSecrets<K extends object>(driver: SpeakerDriver<object, K>, raw: unknown): K {
  return validatePart(driver.secretsClass, raw, 'secrets', driver.name);
}
