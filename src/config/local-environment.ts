import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** The connection pair the file may only bring as a whole: an owner of one server with a service role of another is no set-up. */
const DATABASE_PAIR = ['DATABASE_URL', 'DATABASE_MIGRATION_URL'];

/** Where scripts/prepare-machine.sh keeps this machine's connection strings (git-ignored): LOA_ENV_FILE, or ./.env.local. */
export function localEnvironmentFile(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LOA_ENV_FILE ?? '.env.local');
}

/**
 * Fills `env` with the variables of the machine's `.env.local` it does not set itself: the environment always wins,
 * and one that names its own database (DATABASE_URL or DATABASE_MIGRATION_URL) takes neither from the file.
 * A missing file changes nothing (a machine configured by its environment alone).
 */
export function loadLocalEnvironment(env: NodeJS.ProcessEnv = process.env, file = localEnvironmentFile(env)): void {
  if (!existsSync(file)) return;
  const ownDatabase = DATABASE_PAIR.some((name) => env[name] !== undefined);
  for (const [name, value] of Object.entries(parseEnv(readFileSync(file, 'utf8')))) {
    if (env[name] !== undefined || value === undefined) continue;
    if (ownDatabase && DATABASE_PAIR.includes(name)) continue;
    env[name] = value;
  }
}
