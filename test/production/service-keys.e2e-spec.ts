import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Exit {
  code: number | null;
  stderr: string;
}

/**
 * Starts src/main.ts as `npm run start:prod` starts the build: node on the entry, with only the environment given
 * (no LOA_DEVELOPMENT_KEYS, which the test runner sets for everything else).
 */
function startService(environment: Record<string, string>): Promise<Exit> {
  const { PATH, HOME, DATABASE_URL, REDIS_URL } = process.env;
  const env = Object.fromEntries(Object.entries({ PATH, HOME, DATABASE_URL, REDIS_URL, ...environment }).filter(([, value]) => value !== undefined));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const KEYS = {
  JWT_SECRET: 'Zp4xQ9mW2rT7vB1nK8sD3fH6jL0cY5aE',
  SECRETS_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  // An Ed25519 key (PKCS8 DER, base64) made for this test only.
  AIRTIME_SIGNING_KEY: 'MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f',
};

describe('Production path: the service never starts on development keys by accident', () => {
  // Unit specs (src/config/service-keys.spec.ts) cover every NODE_ENV and every bad value; these start the process.
  it('exits 78 without NODE_ENV and without keys, naming every missing one', async () => {
    const exit = await startService({});
    expect(exit.code).toBe(78);
    for (const name of Object.keys(KEYS)) expect(exit.stderr).toMatch(new RegExp(`${name}=\\(unset\\): required`));
  });

  it('exits 78 for a key that is too short, without printing it', async () => {
    const weak = 'loa-secret-2026';
    const exit = await startService({ ...KEYS, JWT_SECRET: weak });
    expect(exit.code).toBe(78);
    expect(exit.stderr).toMatch(/JWT_SECRET=\*\*\*: JWT_SECRET must be at least 32 characters/);
    expect(exit.stderr).not.toContain(weak);
  });
});
