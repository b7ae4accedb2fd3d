import { AppConfig } from '../config/app-config';
import { SecretBox } from './secret-box';

const box = (key: Buffer) => new SecretBox({ secretsKey: key } as AppConfig);
const KEY = Buffer.alloc(32, 1);

describe('SecretBox', () => {
  it('opens what it sealed, and seals the same secrets differently each time', () => {
    const secrets = { username: 'root', password: 'Mật khẩu thiết bị' };
    const first = box(KEY).seal(secrets);
    const second = box(KEY).seal(secrets);
    expect(first).not.toEqual(second);
    expect(first).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(first).not.toContain('root');
    expect(box(KEY).open(first)).toEqual(secrets);
  });

  it('refuses to open with another key', () => {
    expect(() => box(Buffer.alloc(32, 2)).open(box(KEY).seal({ key: 'x' }))).toThrow();
  });

  it('detects any change to the stored text', () => {
    const [version, iv, tag, ciphertext] = box(KEY).seal({ key: 'gateway-key' }).split('.');
    const flipped = Buffer.from(ciphertext, 'base64url');
    flipped[0] ^= 1;
    expect(() => box(KEY).open([version, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
  });

  it('refuses a format it does not know', () => {
    expect(() => box(KEY).open('v9.a.b.c')).toThrow(/not in a known format/);
    expect(() => box(KEY).open('plain text')).toThrow(/not in a known format/);
  });
});
