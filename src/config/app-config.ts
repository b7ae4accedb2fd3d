import { resolve } from 'node:path';
import { AirtimeSigningKey } from '../airtime/signing-key';
import { Environment, parseEnvironment, ProcessRole } from './environment';
import { keysUsedBy, resolveServiceKeys, ServiceKeyName } from './service-keys';

export interface LoudnessTarget {
  integratedLufs: number;
  truePeakDbtp: number;
  rangeLu: number;
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** The typed configuration every module injects; built once from the environment at boot. */
export class AppConfig {
  readonly role: ProcessRole;
  /** Timeouts in milliseconds: receiving a request's headers, and the whole request. */
  readonly http: { host: string; port: number; headersTimeoutMs: number; requestTimeoutMs: number };
  /**
   * `url` is what the service queries through. With DATABASE_MIGRATION_URL, `owner` creates, migrates and grants
   * (src/database/prepare-database.ts) and `url` itself does neither; without it, `owner` is null and `url` does all.
   */
  readonly database: {
    url: string;
    createIfMissing: boolean;
    migrationsRun: boolean;
    owner: { url: string; createIfMissing: boolean; migrationsRun: boolean } | null;
  };
  /** Streamed exports: their own pool's size, how many one account runs at once, and their timeouts in milliseconds. */
  readonly exports: { poolSize: number; perUser: number; stallTimeoutMs: number; statementTimeoutMs: number };
  readonly redis: { url: string; queuePrefix: string };
  readonly logLevel: string;
  readonly shutdownGraceMs: number;
  readonly audio: {
    dir: string;
    uploadMaxBytes: number;
    uploadIdleTimeoutMs: number;
    maxDurationSeconds: number;
    loudness: LoudnessTarget;
    renditionBitrateKbps: number;
    renditionSampleRate: number;
    probeConcurrency: number;
    workerConcurrency: number;
    jobLockSeconds: number;
  };
  readonly ffmpeg: { ffmpegPath: string; ffprobePath: string; timeoutSeconds: number };
  /** Seconds between the API's `ffmpeg -version` probes, whose last result the health check reports. */
  readonly health: { ffmpegProbeSeconds: number };
  readonly auth: {
    jwtSecret: string;
    /** True when no JWT_SECRET was given (LOA_DEVELOPMENT_KEYS=true, or a tool that signs nothing): random, for this process only. */
    ephemeralSecret: boolean;
    tokenTtlSeconds: number;
    trustProxy: boolean | number | string;
    loginThrottle: { windowSeconds: number; accountAddressLimit: number; ipLimit: number };
    /** Sign-ins of an account that failed too often, from anywhere, wait before their answer (never refused). */
    loginSlowdown: { afterFailures: number; maxMs: number };
    /** Unauthenticated refusals are audited once per address per this window, with their count. */
    unauthenticatedAuditWindowSeconds: number;
    /** A live event stream re-checks its account this often and closes once the account may no longer listen. */
    liveRecheckSeconds: number;
  };
  /** 32-byte key for speaker secrets and media URL signatures; `developmentSecretsKey`: the publicly known one (LOA_DEVELOPMENT_KEYS=true). */
  readonly secretsKey: Buffer;
  readonly developmentSecretsKey: boolean;
  readonly publicUrl: string;
  readonly speakers: {
    connectTimeoutMs: number;
    responseTimeoutMs: number;
    allowLoopback: boolean;
    healthMonitor: boolean;
    healthIntervalSeconds: number;
    healthConcurrency: number;
    offlineAfterFailures: number;
    timeScale: number;
  };
  readonly planner: { enabled: boolean; horizonHours: number };
  readonly recurrence: { budgetMs: number; threads: number };
  readonly playback: { workerConcurrency: number };
  /** Port of a worker-only process's own /metrics (0: none); the api role serves GET /api/metrics instead. */
  readonly workerMetricsPort: number;
  /** Checkpoint signing key (`developmentSigningKey`: the publicly known one) and how often checkpoints are written. */
  readonly airtime: { signingKey: AirtimeSigningKey; developmentSigningKey: boolean; checkpointIntervalMinutes: number };

  /** `keysUsed`: the keys this process signs or encrypts with, each required unless LOA_DEVELOPMENT_KEYS=true. */
  constructor(env: Environment, keysUsed: readonly ServiceKeyName[] = keysUsedBy(env.ROLE)) {
    const keys = resolveServiceKeys(env, keysUsed);
    this.role = env.ROLE;
    this.http = {
      host: env.HOST,
      port: env.PORT,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
    };
    const owner = env.DATABASE_MIGRATION_URL
      ? { url: env.DATABASE_MIGRATION_URL, createIfMissing: env.DATABASE_CREATE_IF_MISSING, migrationsRun: env.MIGRATIONS_RUN }
      : null;
    this.database = {
      url: env.DATABASE_URL,
      createIfMissing: !owner && env.DATABASE_CREATE_IF_MISSING,
      migrationsRun: !owner && env.MIGRATIONS_RUN,
      owner,
    };
    this.exports = {
      poolSize: env.EXPORT_POOL_SIZE,
      perUser: env.EXPORTS_PER_USER,
      stallTimeoutMs: env.EXPORT_STALL_TIMEOUT_SECONDS * 1000,
      statementTimeoutMs: env.EXPORT_STATEMENT_TIMEOUT_SECONDS * 1000,
    };
    this.redis = { url: env.REDIS_URL, queuePrefix: env.QUEUE_PREFIX };
    this.logLevel = env.LOG_LEVEL;
    this.shutdownGraceMs = env.SHUTDOWN_GRACE_MS;
    this.audio = {
      dir: resolve(env.AUDIO_DIR),
      uploadMaxBytes: env.UPLOAD_MAX_BYTES,
      uploadIdleTimeoutMs: env.UPLOAD_IDLE_TIMEOUT_SECONDS * 1000,
      maxDurationSeconds: env.BULLETIN_MAX_DURATION_SECONDS,
      loudness: {
        integratedLufs: env.LOUDNESS_TARGET_LUFS,
        truePeakDbtp: env.LOUDNESS_TRUE_PEAK_DBTP,
        rangeLu: env.LOUDNESS_RANGE_LU,
      },
      renditionBitrateKbps: env.RENDITION_BITRATE_KBPS,
      renditionSampleRate: env.RENDITION_SAMPLE_RATE,
      probeConcurrency: env.AUDIO_PROBE_CONCURRENCY,
      workerConcurrency: env.AUDIO_WORKER_CONCURRENCY,
      jobLockSeconds: env.AUDIO_JOB_LOCK_SECONDS,
    };
    this.ffmpeg = {
      ffmpegPath: env.FFMPEG_PATH,
      ffprobePath: env.FFPROBE_PATH,
      timeoutSeconds: env.FFMPEG_TIMEOUT_SECONDS,
    };
    this.health = { ffmpegProbeSeconds: env.HEALTH_FFMPEG_PROBE_SECONDS };
    this.developmentSecretsKey = keys.developmentSecretsKey;
    this.secretsKey = keys.secretsKey;
    this.publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
    this.speakers = {
      connectTimeoutMs: env.SPEAKER_CONNECT_TIMEOUT_MS,
      responseTimeoutMs: env.SPEAKER_RESPONSE_TIMEOUT_MS,
      allowLoopback: env.SPEAKER_ALLOW_LOOPBACK,
      healthMonitor: env.SPEAKER_HEALTH_MONITOR,
      healthIntervalSeconds: env.SPEAKER_HEALTH_INTERVAL_SECONDS,
      healthConcurrency: env.SPEAKER_HEALTH_CONCURRENCY,
      offlineAfterFailures: env.SPEAKER_OFFLINE_AFTER_FAILURES,
      timeScale: env.SPEAKER_TIME_SCALE,
    };
    this.planner = { enabled: env.PLANNER, horizonHours: env.PLANNER_HORIZON_HOURS };
    this.recurrence = { budgetMs: env.RECURRENCE_BUDGET_MS, threads: env.RECURRENCE_THREADS };
    this.playback = { workerConcurrency: env.PLAYBACK_WORKER_CONCURRENCY };
    this.workerMetricsPort = env.WORKER_METRICS_PORT;
    this.airtime = {
      signingKey: keys.signingKey,
      developmentSigningKey: keys.developmentSigningKey,
      checkpointIntervalMinutes: env.AIRTIME_CHECKPOINT_INTERVAL_MINUTES,
    };
    this.auth = {
      jwtSecret: keys.jwtSecret,
      ephemeralSecret: keys.ephemeralJwtSecret,
      tokenTtlSeconds: env.JWT_TTL_SECONDS,
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
      loginThrottle: {
        windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS,
        accountAddressLimit: env.LOGIN_THROTTLE_ACCOUNT_ADDRESS_LIMIT,
        ipLimit: env.LOGIN_THROTTLE_IP_LIMIT,
      },
      loginSlowdown: { afterFailures: env.LOGIN_SLOWDOWN_AFTER_FAILURES, maxMs: env.LOGIN_SLOWDOWN_MAX_MS },
      unauthenticatedAuditWindowSeconds: env.AUDIT_UNAUTHENTICATED_WINDOW_SECONDS,
      liveRecheckSeconds: env.LIVE_RECHECK_SECONDS,
    };
  }

  /** `keysUsed` defaults to what the role uses; a tool that signs and encrypts nothing passes `[]`. */
  static fromEnvironment(source: NodeJS.ProcessEnv = process.env, keysUsed?: readonly ServiceKeyName[]): AppConfig {
    const env = parseEnvironment(source);
    return new AppConfig(env, keysUsed ?? keysUsedBy(env.ROLE));
  }

  get runsApi(): boolean {
    return this.role !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.role !== 'api';
  }
}
