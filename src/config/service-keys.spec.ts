import { generateKeyPairSync } from 'node:crypto';
import { developmentSigningKey } from '../airtime/signing-key';
import { AppConfig } from './app-config';
import { developmentSecretsKey } from './service-keys';

const KEYS = {
  JWT_SECRET: 'Zp4xQ9mW2rT7vB1nK8sD3fH6jL0cY5aE',
  SECRETS_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  AIRTIME_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
};

function startError(source: Record<string, string>): string {
  try {
    AppConfig.fromEnvironment(source);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('Service keys', () => {
  it.each<Record<string, string>>([{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }, { NODE_ENV: 'production' }])(
    'are all required by the API without LOA_DEVELOPMENT_KEYS, whatever NODE_ENV says (%o)',
    (nodeEnv) => {
      const message = startError({ ...nodeEnv, ROLE: 'api' });
      for (const name of Object.keys(KEYS)) expect(message).toMatch(new RegExp(`^  ${name}=\\(unset\\): required`, 'm'));
    },
  );

  it('required of a worker: only SECRETS_KEY, which it encrypts and signs media links with', () => {
    const message = startError({ ROLE: 'worker' });
    expect(message).toMatch(/SECRETS_KEY=\(unset\)/);
    expect(message).not.toMatch(/JWT_SECRET|AIRTIME_SIGNING_KEY=/);
    expect(AppConfig.fromEnvironment({ ROLE: 'worker', SECRETS_KEY: KEYS.SECRETS_KEY }).developmentSecretsKey).toBe(false);
  });

  it('given, are used and nothing is a development key', () => {
    const config = AppConfig.fromEnvironment({ ...KEYS, NODE_ENV: 'production' });
    expect(config.auth).toMatchObject({ jwtSecret: KEYS.JWT_SECRET, ephemeralSecret: false });
    expect(config.secretsKey).toEqual(Buffer.from(KEYS.SECRETS_KEY, 'base64'));
    expect(config.developmentSecretsKey).toBe(false);
    expect(config.airtime.developmentSigningKey).toBe(false);
    expect(config.airtime.signingKey.keyId).not.toBe(developmentSigningKey().keyId);
  });

  it('with LOA_DEVELOPMENT_KEYS=true, missing ones are the development keys (and a random sign-in secret)', () => {
    const config = AppConfig.fromEnvironment({ LOA_DEVELOPMENT_KEYS: 'true' });
    expect(config.secretsKey).toEqual(developmentSecretsKey());
    expect(config.developmentSecretsKey).toBe(true);
    expect(config.airtime).toMatchObject({ developmentSigningKey: true, signingKey: { keyId: developmentSigningKey().keyId } });
    expect(config.auth.ephemeralSecret).toBe(true);
  });

  it('refuses LOA_DEVELOPMENT_KEYS=true with NODE_ENV=production', () => {
    expect(startError({ ...KEYS, LOA_DEVELOPMENT_KEYS: 'true', NODE_ENV: 'production' })).toMatch(/LOA_DEVELOPMENT_KEYS=true: not with NODE_ENV=production/);
  });

  it('of a tool that signs and encrypts nothing are not required, and are then random, never the development keys', () => {
    const config = AppConfig.fromEnvironment({}, []);
    expect(config.secretsKey).not.toEqual(developmentSecretsKey());
    expect(config.developmentSecretsKey).toBe(false);
    expect(config.airtime.signingKey.keyId).not.toBe(developmentSigningKey().keyId);
    expect(config.airtime.developmentSigningKey).toBe(false);
  });

  const developmentSecretsKeyText = developmentSecretsKey().toString('base64');
  const developmentSigningKeyText = developmentSigningKey().privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  it.each([
    ['JWT_SECRET', 'too short', 'short-but-not-32-characters', /JWT_SECRET=\*\*\*: JWT_SECRET must be at least 32 characters/],
    ['JWT_SECRET', 'a placeholder', 'changeme'.repeat(5), /JWT_SECRET=\*\*\*: too few different characters/],
    ['SECRETS_KEY', 'not 32 bytes of base64', 'c2VjcmV0LWtleS10b28tc2hvcnQ=', /SECRETS_KEY=\*\*\*: SECRETS_KEY must be 32 random bytes in base64/],
    ['SECRETS_KEY', 'the development key', developmentSecretsKeyText, /SECRETS_KEY=\*\*\*: this is the development key/],
    ['AIRTIME_SIGNING_KEY', 'not a key', 'my-airtime-signing-key-in-clear', /AIRTIME_SIGNING_KEY=\*\*\*: .*Ed25519/],
    ['AIRTIME_SIGNING_KEY', 'the development key', developmentSigningKeyText, /AIRTIME_SIGNING_KEY=\*\*\*: this is the development key/],
  ])('refuses a %s that is %s, naming it without repeating its value', (name, _what, value, reported) => {
    const message = startError({ ...KEYS, [name]: value });
    expect(message).toMatch(reported);
    expect(message).not.toContain(value);
  });
});
