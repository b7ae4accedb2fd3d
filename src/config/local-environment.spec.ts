import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadLocalEnvironment, localEnvironmentFile } from './local-environment';

describe('loadLocalEnvironment', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'loa-env-'));
    file = join(dir, '.env.local');
    writeFileSync(
      file,
      [
        '# Written by scripts/prepare-machine.sh',
        'DATABASE_MIGRATION_URL=postgres://loa:o@127.0.0.1:5432/loa',
        'DATABASE_URL=postgres://loa_service:s@127.0.0.1:5432/loa',
        'REDIS_URL=redis://127.0.0.1:6379',
        '',
      ].join('\n'),
    );
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("fills what the environment does not set with the file's values", () => {
    const env: NodeJS.ProcessEnv = { PORT: '4000' };
    loadLocalEnvironment(env, file);
    expect(env).toEqual({
      PORT: '4000',
      DATABASE_MIGRATION_URL: 'postgres://loa:o@127.0.0.1:5432/loa',
      DATABASE_URL: 'postgres://loa_service:s@127.0.0.1:5432/loa',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
  });

  it('lets the environment win, variable by variable', () => {
    const env: NodeJS.ProcessEnv = { REDIS_URL: 'redis://cache:6379' };
    loadLocalEnvironment(env, file);
    expect(env.REDIS_URL).toBe('redis://cache:6379');
  });

  it.each(['DATABASE_URL', 'DATABASE_MIGRATION_URL'])('takes neither database URL from the file when the environment sets %s', (name) => {
    const env: NodeJS.ProcessEnv = { [name]: 'postgres://me@db/mine' };
    loadLocalEnvironment(env, file);
    expect(env).toEqual({ [name]: 'postgres://me@db/mine', REDIS_URL: 'redis://127.0.0.1:6379' });
  });

  it('changes nothing without the file', () => {
    const env: NodeJS.ProcessEnv = { PORT: '4000' };
    loadLocalEnvironment(env, join(dir, 'missing'));
    expect(env).toEqual({ PORT: '4000' });
  });

  it('reads LOA_ENV_FILE, else .env.local in the working directory', () => {
    expect(localEnvironmentFile({ LOA_ENV_FILE: file })).toBe(file);
    expect(localEnvironmentFile({})).toBe(resolve('.env.local'));
  });
});
