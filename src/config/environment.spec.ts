import { parseEnvironment } from './environment';

describe('parseEnvironment', () => {
  it('uses the documented defaults for an empty environment', () => {
    const env = parseEnvironment({});
    expect(env).toMatchObject({
      ROLE: 'all',
      PORT: 3000,
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/loa',
      DATABASE_CREATE_IF_MISSING: true,
      MIGRATIONS_RUN: true,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'loa',
      AUDIO_DIR: './audio',
      LOG_LEVEL: 'info',
      UPLOAD_MAX_BYTES: 200 * 1024 * 1024,
      BULLETIN_MAX_DURATION_SECONDS: 3600,
      LOUDNESS_TARGET_LUFS: -16,
      LOUDNESS_TRUE_PEAK_DBTP: -1.5,
      LOUDNESS_RANGE_LU: 11,
      RENDITION_BITRATE_KBPS: 96,
      RENDITION_SAMPLE_RATE: 44100,
      AUDIO_WORKER_CONCURRENCY: 1,
      AUDIO_JOB_LOCK_SECONDS: 30,
      FFMPEG_TIMEOUT_SECONDS: 600,
      FFMPEG_PATH: 'ffmpeg',
      FFPROBE_PATH: 'ffprobe',
      SHUTDOWN_GRACE_MS: 30_000,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(parseEnvironment({ PORT: '', ROLE: '', MIGRATIONS_RUN: '' })).toMatchObject({ PORT: 3000, ROLE: 'all', MIGRATIONS_RUN: true });
  });

  it('ignores variables Loa does not read', () => {
    expect(parseEnvironment({ PATH: '/usr/bin', HOME: '/root' })).not.toHaveProperty('PATH');
  });

  it('converts numbers from their text', () => {
    const env = parseEnvironment({
      PORT: '8080',
      UPLOAD_MAX_BYTES: '1048576',
      LOUDNESS_TARGET_LUFS: '-23',
      LOUDNESS_TRUE_PEAK_DBTP: '-2.5',
      RENDITION_SAMPLE_RATE: '48000',
    });
    expect(env.PORT).toBe(8080);
    expect(env.UPLOAD_MAX_BYTES).toBe(1048576);
    expect(env.LOUDNESS_TARGET_LUFS).toBe(-23);
    expect(env.LOUDNESS_TRUE_PEAK_DBTP).toBe(-2.5);
    expect(env.RENDITION_SAMPLE_RATE).toBe(48000);
  });

  it('accepts port 0, which picks a free port', () => {
    expect(parseEnvironment({ PORT: '0' }).PORT).toBe(0);
  });

  it.each(['false', 'FALSE', '0', 'no', 'off'])('reads %p as false', (text) => {
    const env = parseEnvironment({ MIGRATIONS_RUN: text, DATABASE_CREATE_IF_MISSING: text });
    expect(env.MIGRATIONS_RUN).toBe(false);
    expect(env.DATABASE_CREATE_IF_MISSING).toBe(false);
  });

  it.each(['true', 'True', '1', 'yes', 'on'])('reads %p as true', (text) => {
    expect(parseEnvironment({ MIGRATIONS_RUN: text }).MIGRATIONS_RUN).toBe(true);
  });

  it.each(['api', 'worker', 'all'])('accepts ROLE=%s', (role) => {
    expect(parseEnvironment({ ROLE: role }).ROLE).toBe(role);
  });

  it('accepts postgresql:// and rediss:// URLs', () => {
    const env = parseEnvironment({ DATABASE_URL: 'postgresql://loa:pw@db:5432/loa', REDIS_URL: 'rediss://cache:6380' });
    expect(env.DATABASE_URL).toBe('postgresql://loa:pw@db:5432/loa');
    expect(env.REDIS_URL).toBe('rediss://cache:6380');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['ROLE', 'boss'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'localhost:6379'],
    ['MIGRATIONS_RUN', 'maybe'],
    ['DATABASE_CREATE_IF_MISSING', 'sometimes'],
    ['QUEUE_PREFIX', 'loa:prod'],
    ['LOG_LEVEL', 'verbose'],
    ['UPLOAD_MAX_BYTES', '0'],
    ['BULLETIN_MAX_DURATION_SECONDS', 'one hour'],
    ['LOUDNESS_TARGET_LUFS', '-50'],
    ['LOUDNESS_TARGET_LUFS', '0'],
    ['LOUDNESS_TRUE_PEAK_DBTP', '1'],
    ['LOUDNESS_RANGE_LU', '0'],
    ['RENDITION_BITRATE_KBPS', '16'],
    ['RENDITION_SAMPLE_RATE', '16000'],
    ['AUDIO_WORKER_CONCURRENCY', '0'],
    ['AUDIO_JOB_LOCK_SECONDS', '0'],
    ['FFMPEG_TIMEOUT_SECONDS', 'never'],
    ['SHUTDOWN_GRACE_MS', '10'],
  ])('rejects %s=%s with a message naming the variable and its value', (name, value) => {
    expect(() => parseEnvironment({ [name]: value })).toThrow(new RegExp(`^Invalid environment[^]*\\b${name}=${escape(value)}:`));
  });

  it('names only the bad variables, every one of them', () => {
    let message = '';
    try {
      parseEnvironment({ PORT: 'abc', ROLE: 'boss', DATABASE_URL: 'mysql://x', MIGRATIONS_RUN: 'maybe', HOST: 'db.internal' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('PORT=abc');
    expect(message).toContain('ROLE=boss');
    expect(message).toContain('DATABASE_URL=mysql://x: DATABASE_URL must be a postgres:// URL');
    expect(message).toContain('MIGRATIONS_RUN=maybe');
    expect(message).not.toContain('HOST');
    expect(message.split('\n')).toHaveLength(5);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('an invalid URL with a password', () => {
  it('names the variable without printing the password', () => {
    expect(() => parseEnvironment({ DATABASE_URL: 'mysql://loa:s3cret@db:3306/loa' })).toThrow(/DATABASE_URL=mysql:\/\/loa:\*\*\*@db:3306\/loa/);
    expect(() => parseEnvironment({ REDIS_URL: 'http://:hunter2@cache:6379' })).toThrow(/REDIS_URL=http:\/\/:\*\*\*@cache:6379:/);
  });
});
