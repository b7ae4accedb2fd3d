import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { AirtimeSigningKey, developmentSigningKey, parseSigningKey, signingKeyFrom } from '../airtime/signing-key';
import type { Environment, ProcessRole } from './environment';

/** The secrets Loa signs and encrypts with; anyone who knows one can forge what it protects. */
export const SERVICE_KEYS = ['JWT_SECRET', 'SECRETS_KEY', 'AIRTIME_SIGNING_KEY'] as const;
export type ServiceKeyName = (typeof SERVICE_KEYS)[number];

const HOW_TO_MAKE: Record<ServiceKeyName, string> = {
  JWT_SECRET: 'at least 32 random characters (openssl rand -base64 48)',
  SECRETS_KEY: '32 random bytes in base64 (openssl rand -base64 32)',
  AIRTIME_SIGNING_KEY: 'an Ed25519 private key (openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)',
};

/**
 * The keys a role uses: the API signs sign-in tokens and checkpoints; both roles encrypt speaker secrets and sign
 * media links (the worker hands those links to gateways).
 */
export function keysUsedBy(role: ProcessRole): readonly ServiceKeyName[] {
  return role === 'worker' ? ['SECRETS_KEY'] : SERVICE_KEYS;
}

/** A JWT_SECRET with fewer distinct characters is a placeholder ("xxxx…", "changeme…"), not a random secret. */
const MIN_DISTINCT_JWT_CHARACTERS = 10;

/** The fixed, publicly known key of `LOA_DEVELOPMENT_KEYS=true` for speaker secrets and media links. */
export function developmentSecretsKey(): Buffer {
  return createHash('sha256').update('loa-development-secrets-key').digest();
}

export interface ServiceKeys {
  jwtSecret: string;
  /** No JWT_SECRET: a random one for this process only (sign-ins end when it restarts). */
  ephemeralJwtSecret: boolean;
  secretsKey: Buffer;
  /** The publicly known development key is in use (LOA_DEVELOPMENT_KEYS=true). */
  developmentSecretsKey: boolean;
  signingKey: AirtimeSigningKey;
  developmentSigningKey: boolean;
}

function refuse(lines: string[]): never {
  throw new Error(`Invalid environment, fix these variables:\n${lines.map((line) => `  ${line}`).join('\n')}`);
}

/**
 * Reads the keys the process uses (`used`). A missing one stops the start naming it, unless LOA_DEVELOPMENT_KEYS=true
 * (a developer machine, the demo, the tests) lets the development keys, which anyone can derive from the source,
 * stand in. A key the process does not use is, when missing, a random one: never a known one. Messages never repeat a
 * key's value.
 */
export function resolveServiceKeys(env: Environment, used: readonly ServiceKeyName[]): ServiceKeys {
  if (env.LOA_DEVELOPMENT_KEYS && env.NODE_ENV === 'production') {
    refuse(['LOA_DEVELOPMENT_KEYS=true: not with NODE_ENV=production; set JWT_SECRET, SECRETS_KEY and AIRTIME_SIGNING_KEY instead']);
  }
  const missing = used.filter((name) => !env[name]);
  if (missing.length > 0 && !env.LOA_DEVELOPMENT_KEYS) {
    refuse([
      ...missing.map((name) => `${name}=(unset): required, ${HOW_TO_MAKE[name]}`),
      '(on a developer machine only, LOA_DEVELOPMENT_KEYS=true uses publicly known development keys instead)',
    ]);
  }
  const problems: string[] = [];
  if (env.JWT_SECRET && new Set(env.JWT_SECRET).size < MIN_DISTINCT_JWT_CHARACTERS) {
    problems.push(`JWT_SECRET=***: too few different characters for a random secret; use ${HOW_TO_MAKE.JWT_SECRET}`);
  }
  const secretsKey = env.SECRETS_KEY ? Buffer.from(env.SECRETS_KEY, 'base64') : null;
  if (secretsKey?.equals(developmentSecretsKey())) {
    problems.push(`SECRETS_KEY=***: this is the development key, which anyone can derive from the source; use ${HOW_TO_MAKE.SECRETS_KEY}`);
  }
  let signingKey: AirtimeSigningKey | null = null;
  if (env.AIRTIME_SIGNING_KEY) {
    try {
      signingKey = parseSigningKey(env.AIRTIME_SIGNING_KEY);
      if (signingKey.keyId === developmentSigningKey().keyId) {
        problems.push(`AIRTIME_SIGNING_KEY=***: this is the development key, which anyone can derive from the source; use ${HOW_TO_MAKE.AIRTIME_SIGNING_KEY}`);
      }
    } catch (error) {
      problems.push(`AIRTIME_SIGNING_KEY=***: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) refuse(problems);
  const development = env.LOA_DEVELOPMENT_KEYS;
  return {
    jwtSecret: env.JWT_SECRET ?? randomBytes(32).toString('base64url'),
    ephemeralJwtSecret: !env.JWT_SECRET,
    secretsKey: secretsKey ?? (development ? developmentSecretsKey() : randomBytes(32)),
    developmentSecretsKey: !secretsKey && development,
    signingKey: signingKey ?? (development ? developmentSigningKey() : signingKeyFrom(generateKeyPairSync('ed25519').privateKey)),
    developmentSigningKey: !signingKey && development,
  };
}
