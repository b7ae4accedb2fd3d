import { AxisVapixDriver } from './axis-vapix/axis-vapix.driver';
import { DriverConfigError, validateDriverSecrets, validateDriverSettings } from './driver-config';
import { HttpGatewayDriver } from './http-gateway/http-gateway.driver';
import { ManualDriver } from './manual.driver';

const axis = new AxisVapixDriver();
const gateway = new HttpGatewayDriver();
const manual = new ManualDriver();

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof DriverConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a DriverConfigError');
}

describe('validateDriverSettings', () => {
  it.each(['http://10.0.0.5', 'https://loa-speaker-03.local:8443', 'http://10.0.0.5/', 'http://speaker_01'])('accepts the Axis base URL %s', (url) => {
    expect(validateDriverSettings(axis, { url })).toEqual({ url });
  });

  it.each([
    ['no protocol', '10.0.0.5'],
    ['another protocol', 'ftp://10.0.0.5'],
    ['credentials in the URL', 'http://root:pass@10.0.0.5'],
    ['a query', 'http://10.0.0.5/?x=1'],
    ['a fragment', 'http://10.0.0.5/#x'],
    ['not a string', 42],
  ])('refuses a URL with %s, naming the field', (_case, url) => {
    expect(problems(() => validateDriverSettings(axis, { url }))).toEqual([
      'settings.url must be an http or https base URL without credentials or query, such as http://10.0.0.5',
    ]);
  });

  it('refuses missing settings and unknown fields', () => {
    expect(problems(() => validateDriverSettings(axis, undefined))).toEqual([expect.stringMatching(/^settings\.url must be/)]);
    expect(problems(() => validateDriverSettings(gateway, { url: 'https://gw.example.vn/loa', volume: 3 }))).toEqual(['settings.volume is not a known field']);
    expect(problems(() => validateDriverSettings(axis, ['http://10.0.0.5']))).toEqual(['settings must be an object']);
  });

  it('takes nothing for a manual speaker', () => {
    expect(validateDriverSettings(manual, undefined)).toEqual({});
    expect(validateDriverSettings(manual, {})).toEqual({});
    expect(problems(() => validateDriverSettings(manual, { url: 'http://10.0.0.5' }))).toEqual(['settings must be empty: the manual driver takes no settings']);
  });
});

describe('validateDriverSecrets', () => {
  it('accepts Axis credentials, with any characters in the password', () => {
    expect(validateDriverSecrets(axis, { username: 'root', password: 'a:b "c" mật khẩu' })).toEqual({ username: 'root', password: 'a:b "c" mật khẩu' });
  });

  it('refuses usernames that Digest cannot carry', () => {
    for (const username of ['ro:ot', 'ro"ot', 'ro ot', '', 'x'.repeat(65), 'người']) {
      expect(problems(() => validateDriverSecrets(axis, { username, password: 'p' }))).toEqual([
        expect.stringMatching(/^secrets\.username must be 1 to 64 printable ASCII/),
      ]);
    }
  });

  it('names every bad field without repeating any secret value', () => {
    const found = problems(() => validateDriverSecrets(gateway, { key: 'short-secret-value', extra: 'another-secret' }));
    expect(found).toEqual(expect.arrayContaining(['secrets.key must be 32 to 512 characters', 'secrets.extra is not a known field']));
    expect(found.join(' ')).not.toMatch(/short-secret-value|another-secret/);
    expect(problems(() => validateDriverSecrets(axis, {}))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^secrets\.username/), expect.stringMatching(/^secrets\.password/)]),
    );
  });

  it('accepts a gateway key of 32 characters or more', () => {
    const key = 'k'.repeat(32);
    expect(validateDriverSecrets(gateway, { key })).toEqual({ key });
  });

  it('refuses secrets for a manual speaker', () => {
    expect(problems(() => validateDriverSecrets(manual, { password: 'x' }))).toEqual(['secrets must be empty: the manual driver takes no secrets']);
  });
});
