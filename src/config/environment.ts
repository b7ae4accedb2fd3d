// Decorator metadata below is recorded only if the polyfill is loaded before this class is declared.
import 'reflect-metadata';
import { availableParallelism } from 'node:os';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

export const PROCESS_ROLES = ['api', 'worker', 'all'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

// Reads the raw value: implicit conversion would already have turned "false" into true.
const toBoolean = ({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
  const raw = obj[key];
  if (typeof raw !== 'string') return raw;
  const text = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  return raw;
};

/**
 * Every environment variable Loa reads, with its default. README lists the same table;
 * the defaults work on a developer machine with PostgreSQL and Redis on localhost.
 */
export class Environment {
  @IsIn(PROCESS_ROLES)
  ROLE: ProcessRole = 'all';

  /** 0 picks a free port (tests). */
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  /** How long a client may take to send a request's headers; then the connection is answered 408 and closed. */
  @IsInt()
  @Min(1)
  @Max(600)
  HTTP_HEADERS_TIMEOUT_SECONDS: number = 20;

  /** How long a whole request, an upload included, may take to arrive; then it is answered 408 and closed. */
  @IsInt()
  @Min(10)
  HTTP_REQUEST_TIMEOUT_SECONDS: number = 3600;

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/loa';

  /**
   * The owner's connection, used only to create the database, migrate it and grant DATABASE_URL's role what it
   * needs (docs/airtime.md). Unset: DATABASE_URL does all of it (a single role, as on a developer machine).
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_MIGRATION_URL must be a postgres:// URL' })
  DATABASE_MIGRATION_URL: string | undefined = undefined;

  @Transform(toBoolean)
  @IsBoolean()
  DATABASE_CREATE_IF_MISSING: boolean = true;

  @Transform(toBoolean)
  @IsBoolean()
  MIGRATIONS_RUN: boolean = true;

  /** Connections of the separate pool that streamed exports (as-run CSV and XLSX) read through, never the API's own. */
  @IsInt()
  @Min(1)
  @Max(50)
  EXPORT_POOL_SIZE: number = 4;

  /** Streamed exports one account may run at once; one more is answered 429. */
  @IsInt()
  @Min(1)
  @Max(50)
  EXPORTS_PER_USER: number = 2;

  /**
   * A client that takes nothing of an export for this long has it aborted (connection closed, database connection
   * freed); an export that finds no export connection free for this long is answered 503.
   */
  @IsInt()
  @Min(1)
  @Max(3600)
  EXPORT_STALL_TIMEOUT_SECONDS: number = 30;

  /** Longest one statement of an export may run in PostgreSQL before it is cancelled. */
  @IsInt()
  @Min(1)
  @Max(3600)
  EXPORT_STATEMENT_TIMEOUT_SECONDS: number = 60;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'QUEUE_PREFIX may hold letters, digits, - and _ only' })
  QUEUE_PREFIX: string = 'loa';

  @IsString()
  AUDIO_DIR: string = './audio';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsInt()
  @Min(1)
  UPLOAD_MAX_BYTES: number = 200 * 1024 * 1024;

  /** An upload that sends nothing for this long is answered 408, its connection closed and its temporary file removed. */
  @IsInt()
  @Min(1)
  @Max(3600)
  UPLOAD_IDLE_TIMEOUT_SECONDS: number = 60;

  @IsInt()
  @Min(1)
  BULLETIN_MAX_DURATION_SECONDS: number = 60 * 60;

  @IsNumber()
  @Min(-40)
  @Max(-5)
  LOUDNESS_TARGET_LUFS: number = -16;

  @IsNumber()
  @Min(-9)
  @Max(0)
  LOUDNESS_TRUE_PEAK_DBTP: number = -1.5;

  @IsNumber()
  @Min(1)
  @Max(20)
  LOUDNESS_RANGE_LU: number = 11;

  @IsInt()
  @Min(32)
  @Max(320)
  RENDITION_BITRATE_KBPS: number = 96;

  @IsIn([22050, 32000, 44100, 48000])
  RENDITION_SAMPLE_RATE: number = 44100;

  /**
   * Uploads this API process checks with ffprobe and ffmpeg at once (one core each); more wait their turn.
   * Default: one per core.
   */
  @IsInt()
  @Min(1)
  @Max(64)
  AUDIO_PROBE_CONCURRENCY: number = availableParallelism();

  /**
   * Render jobs of the `audio` queue this worker process runs at once; more wait in the queue (the bulletin shows
   * `queued`). A render briefly runs two ffmpeg side by side, so the default is one per two cores.
   */
  @IsInt()
  @Min(1)
  @Max(16)
  AUDIO_WORKER_CONCURRENCY: number = Math.max(1, Math.floor(availableParallelism() / 2));

  /** How long a worker holds an audio job between heartbeats; a killed worker's job is retried after it. */
  @IsInt()
  @Min(1)
  AUDIO_JOB_LOCK_SECONDS: number = 30;

  @IsInt()
  @Min(1)
  FFMPEG_TIMEOUT_SECONDS: number = 600;

  @IsString()
  FFMPEG_PATH: string = 'ffmpeg';

  @IsString()
  FFPROBE_PATH: string = 'ffprobe';

  @IsInt()
  @Min(1000)
  SHUTDOWN_GRACE_MS: number = 30_000;

  /** How often the API checks that ffmpeg runs, for GET /api/health (which only reads the last result). */
  @IsInt()
  @Min(1)
  @Max(3600)
  HEALTH_FFMPEG_PROBE_SECONDS: number = 60;

  /** `production` (the image sets it) refuses LOA_DEVELOPMENT_KEYS=true. The keys are required whatever it says. */
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: string = 'development';

  /**
   * Only for a developer machine, the demo and the tests (`npm start`, `npm run demo` and jest set it): a missing
   * SECRETS_KEY or AIRTIME_SIGNING_KEY is replaced by a publicly known development key, and a missing JWT_SECRET by
   * a random one per start. Without it the process refuses to start without the keys its role uses.
   */
  @Transform(toBoolean)
  @IsBoolean()
  LOA_DEVELOPMENT_KEYS: boolean = false;

  /** Signs login tokens (HS256). Required by the API (src/config/service-keys.ts). */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string | undefined = undefined;

  @IsInt()
  @Min(60)
  @Max(12 * 3600)
  JWT_TTL_SECONDS: number = 8 * 3600;

  /** Express "trust proxy": false, true, loopback, a hop count or a list of CIDRs. Only then is X-Forwarded-For believed. */
  @IsString()
  TRUST_PROXY: string = 'false';

  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_WINDOW_SECONDS: number = 15 * 60;

  /**
   * Failed sign-ins per account from one client address per window; past it that address (only) gets 429 for that
   * account, so a stranger guessing elsewhere never locks the owner out.
   */
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_ACCOUNT_ADDRESS_LIMIT: number = 10;

  /** Failed sign-ins per account per window, from any address, before every sign-in of the account is slowed down. */
  @IsInt()
  @Min(1)
  LOGIN_SLOWDOWN_AFTER_FAILURES: number = 10;

  /** The longest a slowed-down sign-in waits (the wait doubles with each further failure, from 0.5 s); 0: no slowdown. */
  @IsInt()
  @Min(0)
  @Max(60_000)
  LOGIN_SLOWDOWN_MAX_MS: number = 10_000;

  /**
   * Requests refused for want of a valid sign-in are written to the audit log once per client address per this
   * window, with their count, rather than once each (so a stranger cannot fill the append-only log).
   */
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  AUDIT_UNAUTHENTICATED_WINDOW_SECONDS: number = 300;

  /**
   * How often a live event stream checks that its account may still listen (not disabled, not signed out, same
   * scope); it closes when not.
   */
  @IsInt()
  @Min(1)
  @Max(3600)
  LIVE_RECHECK_SECONDS: number = 30;

  /** Login attempts per client address per window, whatever the account. */
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_IP_LIMIT: number = 30;

  /** 32 bytes, base64: encrypts speaker secrets (AES-256-GCM) and signs media URLs. Required by both roles. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/_-]{43}=?$/, { message: 'SECRETS_KEY must be 32 random bytes in base64 (e.g. openssl rand -base64 32)' })
  SECRETS_KEY: string | undefined = undefined;

  /** Ed25519 private key (PKCS8, PEM or base64 DER) that signs airtime checkpoints. Required by the API. */
  @IsOptional()
  @IsString()
  AIRTIME_SIGNING_KEY: string | undefined = undefined;

  /**
   * Minutes between signed checkpoints of the airtime chains (one instance writes them, by lock); 0 = only on demand.
   * Fractions are allowed (0.05 = every 3 s), so a test can watch the timer sign one.
   */
  @IsNumber()
  @Min(0)
  @Max(24 * 60)
  AIRTIME_CHECKPOINT_INTERVAL_MINUTES: number = 15;

  /** Where devices reach this service (gateways fetch audio from here); defaults to http://localhost:PORT. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL: string | undefined = undefined;

  @IsInt()
  @Min(100)
  @Max(60_000)
  SPEAKER_CONNECT_TIMEOUT_MS: number = 5000;

  @IsInt()
  @Min(100)
  @Max(120_000)
  SPEAKER_RESPONSE_TIMEOUT_MS: number = 10_000;

  /**
   * Whether a speaker may be at a loopback address (127.0.0.0/8, ::1, localhost): only for emulators and test devices
   * on this machine. Link-local (cloud metadata), multicast and unspecified addresses are refused whatever it says.
   */
  @Transform(toBoolean)
  @IsBoolean()
  SPEAKER_ALLOW_LOOPBACK: boolean = false;

  /** How often every enabled speaker is checked; each speaker keeps its own offset inside the interval. */
  @IsInt()
  @Min(5)
  SPEAKER_HEALTH_INTERVAL_SECONDS: number = 60;

  /** Whether this API process sweeps speaker health periodically (one instance at a time does, by lock). */
  @Transform(toBoolean)
  @IsBoolean()
  SPEAKER_HEALTH_MONITOR: boolean = true;

  /** Health checks in flight at once, whatever the number of speakers. */
  @IsInt()
  @Min(1)
  @Max(1000)
  SPEAKER_HEALTH_CONCURRENCY: number = 20;

  /** Failed checks in a row after which a speaker is offline (fewer make it degraded). */
  @IsInt()
  @Min(1)
  @Max(100)
  SPEAKER_OFFLINE_AFTER_FAILURES: number = 3;

  /** 1 for real speakers; an emulator's time scale when the demo or tests drive emulators faster than real time. */
  @IsNumber()
  @Min(0.001)
  @Max(1)
  SPEAKER_TIME_SCALE: number = 1;

  /** Whether this API process plans schedules into playbacks every minute (one instance at a time does, by lock). */
  @Transform(toBoolean)
  @IsBoolean()
  PLANNER: boolean = true;

  /** How far ahead the planner turns schedules into playbacks and queued dispatches. */
  @IsInt()
  @Min(1)
  @Max(24 * 31)
  PLANNER_HORIZON_HOURS: number = 48;

  /**
   * Longest a schedule's recurrence may be expanded for, in milliseconds of a worker thread's time: past it the
   * rule is refused (on save) or quarantined (by the planner). Normal rules take well under a millisecond.
   */
  @IsInt()
  @Min(10)
  @Max(60_000)
  RECURRENCE_BUDGET_MS: number = 500;

  /** Worker threads that expand recurrences, so that no rule can hold the event loop. */
  @IsInt()
  @Min(1)
  @Max(16)
  RECURRENCE_THREADS: number = 2;

  /** Village jobs a worker stages at once (loading, audio, leases, attempts); staged villages wait for their instant without counting. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  PLAYBACK_WORKER_CONCURRENCY: number = 200;

  /** A worker-only process serves its Prometheus metrics (dispatch lateness, outcomes) on this port; 0 turns it off. */
  @IsInt()
  @Min(0)
  @Max(65_535)
  WORKER_METRICS_PORT: number = 9464;
}

/** Variables whose value is a key: a boot error names them but never prints them. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set(['JWT_SECRET', 'SECRETS_KEY', 'AIRTIME_SIGNING_KEY']);

/** Hides a key, or the password of a URL-shaped value, so a boot error never prints a credential. */
function redact(name: string, value: string): string {
  if (SECRET_VARIABLES.has(name)) return '***';
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** Parses and validates the environment once; a bad variable throws an error that names it. */
export function parseEnvironment(source: NodeJS.ProcessEnv): Environment {
  const defaults = new Environment();
  const present = Object.fromEntries(
    Object.keys(defaults)
      .filter((key) => source[key] !== undefined && source[key] !== '')
      .map((key) => [key, source[key]]),
  );
  const env = plainToInstance(
    Environment,
    { ...defaults, ...present },
    {
      enableImplicitConversion: true,
    },
  );
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const raw = present[error.property] === undefined ? '(unset)' : redact(error.property, String(present[error.property]));
      const reasons = Object.values(error.constraints ?? {}).join('; ');
      return `  ${error.property}=${String(raw)}: ${reasons}`;
    });
    throw new Error(`Invalid environment, fix these variables:\n${lines.join('\n')}`);
  }
  return env;
}
