import { generateKeyPairSync } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { AppConfig } from './app-config';

/** As on a developer machine: keys not given are development keys (src/config/service-keys.spec.ts covers the rest). */
const DEV = { LOA_DEVELOPMENT_KEYS: 'true' };

describe('AppConfig', () => {
  it('groups the defaults by what uses them', () => {
    const config = AppConfig.fromEnvironment(DEV);
    expect(config.role).toBe('all');
    expect(config.http).toEqual({ host: '0.0.0.0', port: 3000, headersTimeoutMs: 20_000, requestTimeoutMs: 3_600_000 });
    expect(config.database).toEqual({ url: 'postgres://postgres@127.0.0.1:5432/loa', createIfMissing: true, migrationsRun: true, owner: null });
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', queuePrefix: 'loa' });
    expect(config.logLevel).toBe('info');
    expect(config.shutdownGraceMs).toBe(30_000);
    expect(config.audio).toEqual({
      dir: resolve('audio'),
      uploadMaxBytes: 200 * 1024 * 1024,
      uploadIdleTimeoutMs: 60_000,
      maxDurationSeconds: 3600,
      loudness: { integratedLufs: -16, truePeakDbtp: -1.5, rangeLu: 11 },
      renditionBitrateKbps: 96,
      renditionSampleRate: 44100,
      probeConcurrency: availableParallelism(),
      workerConcurrency: Math.max(1, Math.floor(availableParallelism() / 2)),
      jobLockSeconds: 30,
    });
    expect(config.ffmpeg).toEqual({ ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', timeoutSeconds: 600 });
  });

  it('carries each variable to its setting', () => {
    const config = AppConfig.fromEnvironment({
      ...DEV,
      ROLE: 'worker',
      HOST: '127.0.0.1',
      PORT: '8080',
      HTTP_HEADERS_TIMEOUT_SECONDS: '5',
      HTTP_REQUEST_TIMEOUT_SECONDS: '900',
      UPLOAD_IDLE_TIMEOUT_SECONDS: '30',
      AUDIO_PROBE_CONCURRENCY: '3',
      DATABASE_URL: 'postgresql://loa@db/loa',
      DATABASE_CREATE_IF_MISSING: 'false',
      MIGRATIONS_RUN: '0',
      REDIS_URL: 'redis://cache:6379/2',
      QUEUE_PREFIX: 'loa-xa-an-binh',
      LOG_LEVEL: 'debug',
      SHUTDOWN_GRACE_MS: '5000',
      UPLOAD_MAX_BYTES: '1000000',
      BULLETIN_MAX_DURATION_SECONDS: '900',
      LOUDNESS_TARGET_LUFS: '-18',
      LOUDNESS_TRUE_PEAK_DBTP: '-2',
      LOUDNESS_RANGE_LU: '8',
      RENDITION_BITRATE_KBPS: '64',
      RENDITION_SAMPLE_RATE: '22050',
      AUDIO_WORKER_CONCURRENCY: '2',
      AUDIO_JOB_LOCK_SECONDS: '60',
      FFMPEG_PATH: '/opt/ffmpeg/bin/ffmpeg',
      FFPROBE_PATH: '/opt/ffmpeg/bin/ffprobe',
      FFMPEG_TIMEOUT_SECONDS: '120',
    });
    expect(config.role).toBe('worker');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, headersTimeoutMs: 5000, requestTimeoutMs: 900_000 });
    expect(config.database).toEqual({ url: 'postgresql://loa@db/loa', createIfMissing: false, migrationsRun: false, owner: null });
    expect(config.redis).toEqual({ url: 'redis://cache:6379/2', queuePrefix: 'loa-xa-an-binh' });
    expect(config.logLevel).toBe('debug');
    expect(config.shutdownGraceMs).toBe(5000);
    expect(config.audio).toMatchObject({
      uploadMaxBytes: 1_000_000,
      uploadIdleTimeoutMs: 30_000,
      probeConcurrency: 3,
      maxDurationSeconds: 900,
      loudness: { integratedLufs: -18, truePeakDbtp: -2, rangeLu: 8 },
      renditionBitrateKbps: 64,
      renditionSampleRate: 22050,
      workerConcurrency: 2,
      jobLockSeconds: 60,
    });
    expect(config.ffmpeg).toEqual({ ffmpegPath: '/opt/ffmpeg/bin/ffmpeg', ffprobePath: '/opt/ffmpeg/bin/ffprobe', timeoutSeconds: 120 });
  });

  it('resolves a relative AUDIO_DIR against the working directory', () => {
    const config = AppConfig.fromEnvironment({ ...DEV, AUDIO_DIR: 'data/../loa-audio' });
    expect(isAbsolute(config.audio.dir)).toBe(true);
    expect(config.audio.dir).toBe(join(process.cwd(), 'loa-audio'));
  });

  it('keeps an absolute AUDIO_DIR', () => {
    expect(AppConfig.fromEnvironment({ ...DEV, AUDIO_DIR: '/var/lib/loa/audio/' }).audio.dir).toBe('/var/lib/loa/audio');
  });

  it.each([
    ['api', true, false],
    ['worker', false, true],
    ['all', true, true],
  ])('ROLE=%s runs the API: %p, runs the workers: %p', (role, api, workers) => {
    const config = AppConfig.fromEnvironment({ ...DEV, ROLE: role });
    expect(config.runsApi).toBe(api);
    expect(config.runsWorkers).toBe(workers);
  });

  it('refuses to start with a bad variable, naming it', () => {
    expect(() => AppConfig.fromEnvironment({ ...DEV, ROLE: 'boss' })).toThrow(/ROLE=boss/);
    expect(() => AppConfig.fromEnvironment({ ...DEV, PORT: 'abc' })).toThrow(/PORT=abc/);
  });

  it('leaves creating and migrating to the owner when DATABASE_MIGRATION_URL is set', () => {
    const config = AppConfig.fromEnvironment({ ...DEV, DATABASE_URL: 'postgres://loa_service:s@db/loa', DATABASE_MIGRATION_URL: 'postgres://loa:o@db/loa' });
    expect(config.database).toEqual({
      url: 'postgres://loa_service:s@db/loa',
      createIfMissing: false,
      migrationsRun: false,
      owner: { url: 'postgres://loa:o@db/loa', createIfMissing: true, migrationsRun: true },
    });
    expect(() => AppConfig.fromEnvironment({ ...DEV, DATABASE_MIGRATION_URL: 'mysql://db/loa' })).toThrow(/DATABASE_MIGRATION_URL must be a postgres:\/\/ URL/);
  });

  it('reads the airtime signing key as PKCS8 PEM (newlines may be \\n) or base64 DER, and refuses anything else', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const der = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const fromPem = AppConfig.fromEnvironment({ ...DEV, AIRTIME_SIGNING_KEY: pem.replace(/\n/g, '\\n') }).airtime;
    const fromDer = AppConfig.fromEnvironment({ ...DEV, AIRTIME_SIGNING_KEY: der }).airtime;
    expect(fromPem.developmentSigningKey).toBe(false);
    expect(fromPem.signingKey.keyId).toBe(fromDer.signingKey.keyId);
    expect(fromPem.signingKey.keyId).not.toBe(AppConfig.fromEnvironment(DEV).airtime.signingKey.keyId);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => AppConfig.fromEnvironment({ ...DEV, AIRTIME_SIGNING_KEY: rsa })).toThrow(/AIRTIME_SIGNING_KEY=\*\*\*: .*Ed25519.*this is a rsa key/);
    expect(() => AppConfig.fromEnvironment({ ...DEV, AIRTIME_SIGNING_KEY: 'not a key' })).toThrow(
      /AIRTIME_SIGNING_KEY=\*\*\*: .*openssl genpkey -algorithm ed25519/,
    );
  });

  it('uses the fixed development signing key only when LOA_DEVELOPMENT_KEYS=true', () => {
    const development = AppConfig.fromEnvironment(DEV);
    expect(development.airtime).toMatchObject({ developmentSigningKey: true, checkpointIntervalMinutes: 15 });
    expect(AppConfig.fromEnvironment(DEV).airtime.signingKey.keyId).toBe(development.airtime.signingKey.keyId);
    const worker = AppConfig.fromEnvironment({ ROLE: 'worker', SECRETS_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=' });
    expect(worker.airtime.developmentSigningKey).toBe(false);
    expect(worker.airtime.signingKey.keyId).not.toBe(development.airtime.signingKey.keyId);
  });

  it('reads process.env when given nothing', () => {
    const saved = process.env.QUEUE_PREFIX;
    process.env.QUEUE_PREFIX = 'from-process-env';
    try {
      expect(AppConfig.fromEnvironment().redis.queuePrefix).toBe('from-process-env');
    } finally {
      if (saved === undefined) delete process.env.QUEUE_PREFIX;
      else process.env.QUEUE_PREFIX = saved;
    }
  });
});
