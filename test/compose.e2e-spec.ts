import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import * as ts from 'typescript';
import { parse } from 'yaml';
import { AppConfig } from '../src/config/app-config';
import { Environment, parseEnvironment } from '../src/config/environment';

/**
 * docker-compose.yml and the Dockerfile, checked by reading them (no Docker engine needed).
 * Each check returns the problems it finds; the first block runs them on the real files, the second
 * breaks copies of the files in one way each and expects the matching check to notice.
 */

const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

const POSTGRES = 'postgres';
/** The role the app services query as: not the owner, so it cannot alter the append-only broadcast log. */
const SERVICE_ROLE = 'loa_service';
const REDIS = 'redis';
const APP_ROLES = { api: 'api', worker: 'worker' } as const;
type AppService = keyof typeof APP_ROLES;
const APP_SERVICES = Object.keys(APP_ROLES) as AppService[];
const KNOWN_VARIABLES = Object.keys(new Environment());
const POSTGRES_DATA = '/var/lib/postgresql/data';
/** The host port README's Docker section promises (the API on port 3000). */
const PUBLISHED_PORT = '3000';
/** Compose's default when stop_grace_period is unset. */
const DEFAULT_STOP_GRACE_MS = 10_000;
/** Time the worker needs after its job grace to close Redis and PostgreSQL connections. */
const CLOSE_MARGIN_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// Reading compose

// Compose data is untyped YAML; the accessors below normalise each syntax compose accepts.
type Yaml = any;
type HostEnv = Record<string, string | undefined>;

/** Compose variable interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR:+alt}. */
function interpolate(text: string, host: HostEnv): string {
  const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  return text.replace(pattern, (whole: string, braced?: string, op?: string, arg = '', bare?: string) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare) as string;
    const value = host[name];
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    switch (op) {
      case ':-':
        return nonEmpty ? (value as string) : arg;
      case '-':
        return set ? (value as string) : arg;
      case ':?':
      case '?':
        if (op === ':?' ? !nonEmpty : !set) throw new Error(`${name} must be set: ${arg}`);
        return value as string;
      case ':+':
        return nonEmpty ? arg : '';
      case '+':
        return set ? arg : '';
      default:
        return value ?? '';
    }
  });
}

function interpolateAll(node: Yaml, host: HostEnv): Yaml {
  if (typeof node === 'string') return interpolate(node, host);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, host));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, interpolateAll(value, host)]));
  }
  return node;
}

function serviceOf(compose: Yaml, name: string): Yaml {
  const service = compose?.services?.[name];
  return service && typeof service === 'object' ? service : {};
}

/** `environment:` as a map or as a list of KEY=value; a key without value passes the host's through (unset here). */
function composeEnvironment(service: Yaml): Record<string, string | undefined> {
  const env = service.environment;
  if (!env) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry: unknown) => {
        const text = String(entry);
        const at = text.indexOf('=');
        return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? undefined : String(value)]));
}

function argv(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  return String(value).trim().split(/\s+/);
}

interface Mount {
  source?: string;
  target: string;
  readOnly: boolean;
}

function mountsOf(service: Yaml): Mount[] {
  return (service.volumes ?? []).map((entry: Yaml): Mount => {
    if (typeof entry === 'string') {
      const parts = entry.split(':');
      if (parts.length === 1) return { target: parts[0], readOnly: false };
      return { source: parts[0], target: parts[1], readOnly: (parts[2] ?? '').split(',').includes('ro') };
    }
    return { source: entry.source, target: entry.target, readOnly: entry.read_only === true };
  });
}

function namedVolume(compose: Yaml, mount: Mount | undefined): boolean {
  return !!mount?.source && !/^[./~]/.test(mount.source) && Object.prototype.hasOwnProperty.call(compose.volumes ?? {}, mount.source);
}

interface PortMapping {
  published?: string;
  target: string;
}

function portsOf(service: Yaml): PortMapping[] {
  return (service.ports ?? []).map((entry: Yaml): PortMapping => {
    if (typeof entry === 'object') {
      return { published: entry.published === undefined ? undefined : String(entry.published), target: String(entry.target) };
    }
    const parts = String(entry)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = parts[parts.length - 1];
    return { published: parts.length >= 2 ? parts[parts.length - 2] : undefined, target };
  });
}

/** `depends_on:` as a list (service_started) or a map with conditions. */
function dependsOn(service: Yaml): Record<string, string> {
  const deps = service.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name: string) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, spec]) => [name, (spec as Yaml)?.condition ?? 'service_started']));
}

function healthcheckTest(service: Yaml): string[] | undefined {
  const check = service.healthcheck;
  if (!check || check.disable === true || check.test === undefined) return undefined;
  const test = Array.isArray(check.test) ? check.test.map(String) : ['CMD-SHELL', String(check.test)];
  return test[0] === 'NONE' ? undefined : test;
}

/** Compose durations: 60s, 1m30s, 1.5s, 500ms, 1h. */
function durationMs(value: unknown): number {
  const text = String(value);
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, ns: 0.000001 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) throw new Error(`not a duration: ${text}`);
  return parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit], 0);
}

// ---------------------------------------------------------------------------------------------
// Reading the Dockerfile

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const continued = /\\\s*$/.test(line);
    pending += `${line.replace(/\\\s*$/, '')} `;
    if (continued) continue;
    const trimmed = pending.trim();
    pending = '';
    if (!trimmed) continue;
    const [keyword] = trimmed.split(/\s+/, 1);
    instructions.push({ keyword: keyword.toUpperCase(), args: trimmed.slice(keyword.length).trim().replace(/\s+/g, ' ') });
  }
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const tokens = instruction.args.split(' ').filter((token) => !token.startsWith('--'));
      stages.push({ image: tokens[0], name: /^as$/i.test(tokens[1] ?? '') ? tokens[2] : undefined, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

function tokens(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3]);
}

/** ENV KEY=value KEY2="value 2", or the legacy ENV KEY value. */
function stageEnv(stage: Stage | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage?.instructions ?? []) {
    if (keyword !== 'ENV') continue;
    const words = tokens(args);
    if (words[0]?.includes('=')) {
      for (const word of words) env[word.slice(0, word.indexOf('='))] = word.slice(word.indexOf('=') + 1);
    } else if (words.length > 0) {
      env[words[0]] = words.slice(1).join(' ');
    }
  }
  return env;
}

function execForm(args: string): string[] {
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // shell form
  }
  return ['/bin/sh', '-c', args];
}

function last(stage: Stage | undefined, keyword: string): Instruction | undefined {
  return [...(stage?.instructions ?? [])].reverse().find((instruction) => instruction.keyword === keyword);
}

function runCommands(stage: Stage): string[] {
  return stage.instructions.filter((i) => i.keyword === 'RUN').flatMap((i) => i.args.split(/&&|;|\|\|/).map((part) => part.trim()));
}

interface Copy {
  from?: string;
  sources: string[];
  destination: string;
}

function copies(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map((i) => {
      const words = i.args.startsWith('[') ? execForm(i.args) : tokens(i.args);
      const flags = words.filter((word) => word.startsWith('--'));
      const paths = words.filter((word) => !word.startsWith('--'));
      const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
      return { from, sources: paths.slice(0, -1), destination: paths[paths.length - 1] };
    });
}

const clean = (path: string) => posix.normalize(path).replace(/^\.\//, '').replace(/\/$/, '');

// ---------------------------------------------------------------------------------------------
// The checks

interface Context {
  compose: Yaml;
  dockerfile: string;
  nestCli: { entryFile?: string };
  /** outDir and rootDir of tsconfig.build.json (with extends), relative to the project. */
  tsBuild: { outDir: string; rootDir: string; include: string[] };
  startProd: string;
  dockerignore: string[];
}

interface Derived {
  stages: Stage[];
  final: Stage | undefined;
  imageEnv: Record<string, string>;
  workdir: string;
  /** Container environment per app service: the image's ENV, then compose's environment. */
  env: Record<AppService, Record<string, string>>;
  parsed: Record<AppService, Environment | Error>;
}

function derive(ctx: Context): Derived {
  const stages = parseDockerfile(ctx.dockerfile);
  const final = stages[stages.length - 1];
  const imageEnv = stageEnv(final);
  const workdir = last(final, 'WORKDIR')?.args ?? '/';
  const env = {} as Derived['env'];
  const parsed = {} as Derived['parsed'];
  for (const name of APP_SERVICES) {
    const merged: Record<string, string | undefined> = { ...imageEnv, ...composeEnvironment(serviceOf(ctx.compose, name)) };
    env[name] = Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
    try {
      parsed[name] = parseEnvironment(env[name]);
    } catch (error) {
      parsed[name] = error as Error;
    }
  }
  return { stages, final, imageEnv, workdir, env, parsed };
}

/** Where `nest build` puts the entry point: tsc emits src/main.ts at outDir/(src/main.ts relative to rootDir). */
function builtEntry(ctx: Context): { emitted: string; nest: string } {
  const emitted = posix.join(ctx.tsBuild.outDir, posix.relative(ctx.tsBuild.rootDir, 'src/main.ts').replace(/\.ts$/, '.js'));
  const nest = posix.join(ctx.tsBuild.outDir, `${ctx.nestCli.entryFile ?? 'main'}.js`);
  return { emitted, nest };
}

type Check = (ctx: Context, d: Derived) => string[];

const CHECKS: Record<string, Check> = {
  services: (ctx) =>
    [POSTGRES, REDIS, ...APP_SERVICES]
      .filter((name) => !ctx.compose?.services?.[name] || typeof ctx.compose.services[name] !== 'object')
      .map((name) => `service ${name} is missing`),

  redis: (ctx) => {
    const redis = serviceOf(ctx.compose, REDIS);
    const problems: string[] = [];
    const args = argv(redis.command) ?? [];
    const option = (name: string) => {
      const at = args.indexOf(`--${name}`);
      return at < 0 ? undefined : args[at + 1];
    };
    if (!String(redis.image ?? '').startsWith('redis:')) problems.push(`redis runs image ${redis.image}, not redis:*`);
    if (args[0] !== 'redis-server') problems.push(`redis command starts with ${args[0]}, not redis-server`);
    if (option('appendonly') !== 'yes') problems.push('redis needs --appendonly yes so queued jobs survive a restart');
    if (option('appendfsync') === 'no') problems.push('redis --appendfsync no leaves fsync to the kernel; use everysec');
    if (option('maxmemory-policy') !== 'noeviction') problems.push('redis needs --maxmemory-policy noeviction: BullMQ breaks when keys are evicted');
    if (
      !namedVolume(
        ctx.compose,
        mountsOf(redis).find((m) => m.target === '/data'),
      )
    )
      problems.push('redis /data is not on a named volume');
    const test = healthcheckTest(redis)?.join(' ') ?? '';
    if (!/redis-cli\b.*\bping\b/.test(test)) problems.push(`redis healthcheck is not a redis-cli ping: "${test}"`);
    return problems;
  },

  postgres: (ctx) => {
    const postgres = serviceOf(ctx.compose, POSTGRES);
    const env = composeEnvironment(postgres);
    const problems: string[] = [];
    if (!String(postgres.image ?? '').startsWith('postgres:')) problems.push(`postgres runs image ${postgres.image}, not postgres:*`);
    for (const key of ['POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD']) if (!env[key]) problems.push(`postgres ${key} is not set`);
    if (
      !namedVolume(
        ctx.compose,
        mountsOf(postgres).find((m) => m.target === POSTGRES_DATA),
      )
    )
      problems.push(`postgres ${POSTGRES_DATA} is not on a named volume`);
    const test = healthcheckTest(postgres)?.join(' ') ?? '';
    if (!/\bpg_isready\b/.test(test)) problems.push(`postgres healthcheck is not pg_isready: "${test}"`);
    return problems;
  },

  'same image': (ctx) => {
    const [api, worker] = APP_SERVICES.map((name) => serviceOf(ctx.compose, name));
    const buildOf = (service: Yaml) => {
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      if (!build) return undefined;
      return { ...build, context: clean(build.context ?? '.'), dockerfile: clean(build.dockerfile ?? 'Dockerfile') };
    };
    const builds = [buildOf(api), buildOf(worker)];
    const problems: string[] = [];
    if (builds[0] && builds[1]) {
      if (JSON.stringify(builds[0]) !== JSON.stringify(builds[1])) {
        problems.push(`api and worker build differently: ${JSON.stringify(builds[0])} vs ${JSON.stringify(builds[1])}`);
      }
    } else if (!api.image || api.image !== worker.image || (!builds[0] && !builds[1])) {
      problems.push('api and worker must both build the same Dockerfile, or share one image that one of them builds');
    }
    for (const build of builds.filter(Boolean)) {
      if (join(ROOT, build.context, build.dockerfile) !== join(ROOT, 'Dockerfile')) {
        problems.push(`builds ${build.context}/${build.dockerfile}, not the project's Dockerfile`);
      }
    }
    return problems;
  },

  command: (ctx, d) => {
    const { emitted, nest } = builtEntry(ctx);
    const problems: string[] = [];
    if (nest !== emitted) problems.push(`nest-cli.json entryFile points at ${nest} but nest build emits src/main.ts as ${emitted}`);
    if (!existsSync(join(ROOT, 'src/main.ts'))) problems.push('src/main.ts does not exist');
    if (ctx.startProd !== `node ${emitted}`) problems.push(`npm run start:prod runs "${ctx.startProd}", not node ${emitted}`);
    const imageCmd = last(d.final, 'CMD');
    const imageEntrypoint = last(d.final, 'ENTRYPOINT');
    for (const name of APP_SERVICES) {
      const service = serviceOf(ctx.compose, name);
      const command = argv(service.command) ?? (imageCmd ? execForm(imageCmd.args) : []);
      const entrypoint = argv(service.entrypoint) ?? (imageEntrypoint ? execForm(imageEntrypoint.args) : []);
      const run = [...entrypoint, ...command];
      if (JSON.stringify(run) !== JSON.stringify(['node', emitted])) {
        problems.push(`${name} runs ${JSON.stringify(run)}, not ["node", "${emitted}"] (the file npm run build produces)`);
      }
    }
    if (!imageCmd || JSON.stringify(execForm(imageCmd.args)) !== JSON.stringify(['node', emitted])) {
      problems.push(`Dockerfile CMD is ${imageCmd?.args}, not ["node", "${emitted}"]`);
    }
    return problems;
  },

  roles: (_ctx, d) =>
    APP_SERVICES.flatMap((name) => {
      const parsed = d.parsed[name];
      if (parsed instanceof Error) return [`${name}: environment does not parse`];
      return parsed.ROLE === APP_ROLES[name] ? [] : [`${name} runs ROLE=${parsed.ROLE}, not ${APP_ROLES[name]}`];
    }),

  'connection urls': (ctx, d) => {
    const pg = composeEnvironment(serviceOf(ctx.compose, POSTGRES));
    const redisArgs = argv(serviceOf(ctx.compose, REDIS).command) ?? [];
    const redisPassword = redisArgs.includes('--requirepass') ? redisArgs[redisArgs.indexOf('--requirepass') + 1] : '';
    const problems: string[] = [];
    for (const name of APP_SERVICES) {
      const parsed = d.parsed[name];
      if (parsed instanceof Error) {
        problems.push(`${name}: environment does not parse`);
        continue;
      }
      const database = (variable: string, value: string) => {
        const db = new URL(value);
        if (db.hostname !== POSTGRES) problems.push(`${name} ${variable} host is ${db.hostname}, not ${POSTGRES}`);
        if (!['', '5432'].includes(db.port)) problems.push(`${name} ${variable} port is ${db.port}, not 5432`);
        if (decodeURIComponent(db.pathname.slice(1)) !== pg.POSTGRES_DB)
          problems.push(`${name} ${variable} database is ${db.pathname.slice(1)}, not POSTGRES_DB (${pg.POSTGRES_DB})`);
        return { user: decodeURIComponent(db.username), password: decodeURIComponent(db.password) };
      };
      const service = database('DATABASE_URL', parsed.DATABASE_URL);
      if (service.user === pg.POSTGRES_USER) problems.push(`${name} DATABASE_URL runs as the owner ${pg.POSTGRES_USER}, not the service role ${SERVICE_ROLE}`);
      else if (service.user !== SERVICE_ROLE) problems.push(`${name} DATABASE_URL user is ${service.user}, not the service role ${SERVICE_ROLE}`);
      if (!service.password) problems.push(`${name} DATABASE_URL has no password`);
      if (parsed.DATABASE_MIGRATION_URL) {
        const owner = database('DATABASE_MIGRATION_URL', parsed.DATABASE_MIGRATION_URL);
        if (owner.user !== pg.POSTGRES_USER) problems.push(`${name} DATABASE_MIGRATION_URL user is not POSTGRES_USER (${pg.POSTGRES_USER})`);
        if (owner.password !== pg.POSTGRES_PASSWORD) problems.push(`${name} DATABASE_MIGRATION_URL password is not POSTGRES_PASSWORD`);
      }
      const redis = new URL(parsed.REDIS_URL);
      if (redis.hostname !== REDIS) problems.push(`${name} REDIS_URL host is ${redis.hostname}, not ${REDIS}`);
      if (!['', '6379'].includes(redis.port)) problems.push(`${name} REDIS_URL port is ${redis.port}, not 6379`);
      if (decodeURIComponent(redis.password) !== redisPassword) problems.push(`${name} REDIS_URL password does not match redis --requirepass`);
    }
    return problems;
  },

  'known variables': (ctx) =>
    APP_SERVICES.flatMap((name) =>
      Object.keys(composeEnvironment(serviceOf(ctx.compose, name)))
        .filter((key) => !KNOWN_VARIABLES.includes(key))
        .map((key) => `${name} sets ${key}, which Loa does not read (src/config/environment.ts)`),
    ),

  'environment parses': (_ctx, d) =>
    APP_SERVICES.flatMap((name) => {
      const parsed = d.parsed[name];
      return parsed instanceof Error ? [`${name}: ${parsed.message}`] : [];
    }),

  /** What main.ts does first: a container whose configuration does not build exits 78 at once. */
  'configuration builds': (_ctx, d) =>
    APP_SERVICES.flatMap((name) => {
      try {
        AppConfig.fromEnvironment(d.env[name]);
        return [];
      } catch (error) {
        return [`${name} would exit at start: ${(error as Error).message}`];
      }
    }),

  'api and worker agree': (_ctx, d) => {
    const [api, worker] = APP_SERVICES.map((name) => d.parsed[name]);
    if (api instanceof Error || worker instanceof Error) return ['environment does not parse'];
    return (['DATABASE_URL', 'REDIS_URL', 'QUEUE_PREFIX', 'AUDIO_DIR'] as const)
      .filter((key) => api[key] !== worker[key])
      .map((key) => `api and worker differ on ${key}: ${api[key]} vs ${worker[key]}`);
  },

  migrations: (_ctx, d) => {
    const [api, worker] = APP_SERVICES.map((name) => d.parsed[name]);
    if (api instanceof Error || worker instanceof Error) return ['environment does not parse'];
    const problems: string[] = [];
    if (!api.MIGRATIONS_RUN) problems.push('api must run the migrations (MIGRATIONS_RUN=true)');
    if (!api.DATABASE_MIGRATION_URL) problems.push('api must migrate as the owner (DATABASE_MIGRATION_URL), since it queries as a role that owns nothing');
    if (worker.MIGRATIONS_RUN) problems.push('worker must leave migrations to the api (MIGRATIONS_RUN=false)');
    if (worker.DATABASE_MIGRATION_URL) problems.push("worker must not hold the owner's connection (DATABASE_MIGRATION_URL)");
    return problems;
  },

  'depends on': (ctx) => {
    const problems: string[] = [];
    for (const dependency of [POSTGRES, REDIS]) {
      if (!healthcheckTest(serviceOf(ctx.compose, dependency))) problems.push(`${dependency} has no healthcheck, so service_healthy never holds`);
      for (const name of APP_SERVICES) {
        const condition = dependsOn(serviceOf(ctx.compose, name))[dependency];
        if (condition !== 'service_healthy') problems.push(`${name} depends on ${dependency} with ${condition ?? 'nothing'}, not service_healthy`);
      }
    }
    const workerWaitsFor = dependsOn(serviceOf(ctx.compose, 'worker')).api;
    // Healthy, not merely started: the api answers /api/health only once its migrations are applied.
    if (workerWaitsFor !== 'service_healthy')
      problems.push(`worker waits for the api with ${workerWaitsFor ?? 'nothing'}, not service_healthy (the api runs the migrations)`);
    return problems;
  },

  'audio volume': (ctx, d) => {
    const problems: string[] = [];
    const imageDir = d.imageEnv.AUDIO_DIR;
    if (!imageDir) problems.push('the Dockerfile sets no AUDIO_DIR');
    const sources = new Set<string | undefined>();
    const targets = new Set<string>();
    for (const name of APP_SERVICES) {
      const parsed = d.parsed[name];
      if (parsed instanceof Error) {
        problems.push(`${name}: environment does not parse`);
        continue;
      }
      const dir = posix.resolve(d.workdir, parsed.AUDIO_DIR);
      const mount = mountsOf(serviceOf(ctx.compose, name)).find((m) => posix.normalize(m.target) === dir);
      if (!mount) {
        problems.push(`${name} has no volume at its AUDIO_DIR ${dir}`);
        continue;
      }
      if (!namedVolume(ctx.compose, mount)) problems.push(`${name} AUDIO_DIR ${dir} is not a named volume declared under volumes:`);
      if (mount.readOnly) problems.push(`${name} mounts ${dir} read-only, but writes audio there`);
      if (imageDir && dir !== posix.resolve(d.workdir, imageDir)) {
        problems.push(`${name} AUDIO_DIR ${dir} is not ${imageDir}, the directory the image makes writable for its user`);
      }
      sources.add(mount.source);
      targets.add(dir);
    }
    if (sources.size > 1) problems.push(`api and worker mount different audio volumes: ${[...sources].join(', ')}`);
    if (targets.size > 1) problems.push(`api and worker mount audio at different paths: ${[...targets].join(', ')}`);
    return problems;
  },

  'api port': (ctx, d) => {
    const parsed = d.parsed.api;
    if (parsed instanceof Error) return ['api: environment does not parse'];
    const problems: string[] = [];
    const port = String(parsed.PORT);
    const ports = portsOf(serviceOf(ctx.compose, 'api'));
    if (!ports.some((p) => p.target === port && p.published === PUBLISHED_PORT)) {
      problems.push(`api publishes ${JSON.stringify(ports)}, not ${PUBLISHED_PORT}:${port} (its PORT)`);
    }
    if (['127.0.0.1', 'localhost', '::1'].includes(parsed.HOST)) problems.push(`api listens on ${parsed.HOST}, unreachable through a published port`);
    const exposed = (d.final?.instructions ?? []).filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(' ').map((p) => p.split('/')[0]));
    if (!exposed.includes(port)) problems.push(`Dockerfile does not EXPOSE ${port}`);
    return problems;
  },

  'api healthcheck': (ctx, d) => {
    const parsed = d.parsed.api;
    if (parsed instanceof Error) return ['api: environment does not parse'];
    const test = healthcheckTest(serviceOf(ctx.compose, 'api'));
    if (!test) return ['api has no healthcheck'];
    const problems: string[] = [];
    const program = test[0] === 'CMD' ? test[1] : (test[1] ?? '').trim().split(/\s+/)[0];
    if (program !== 'node') problems.push(`api healthcheck runs ${program}; the slim image only has node (no curl or wget)`);
    const joined = test.join(' ');
    if (!new RegExp(`https?://(127\\.0\\.0\\.1|localhost):${parsed.PORT}/api/health\\b`).test(joined)) {
      problems.push(`api healthcheck does not call /api/health on port ${parsed.PORT}: ${joined}`);
    }
    return problems;
  },

  restart: (ctx) =>
    APP_SERVICES.flatMap((name) => {
      const service = serviceOf(ctx.compose, name);
      const problems: string[] = [];
      if (service.restart !== 'unless-stopped') problems.push(`${name} restart is ${service.restart}, not unless-stopped`);
      // With node as PID 1, the SIGTERM Nest re-raises after its shutdown hooks is ignored by the kernel.
      if (service.init !== true) problems.push(`${name} has no init: true (signals and zombie reaping for node and ffmpeg)`);
      return problems;
    }),

  'worker shutdown': (ctx, d) => {
    const parsed = d.parsed.worker;
    if (parsed instanceof Error) return ['worker: environment does not parse'];
    const worker = serviceOf(ctx.compose, 'worker');
    const stopGrace = worker.stop_grace_period === undefined ? DEFAULT_STOP_GRACE_MS : durationMs(worker.stop_grace_period);
    const problems: string[] = [];
    if (stopGrace < 60_000) problems.push(`worker stop_grace_period is ${stopGrace} ms; running audio jobs need 60s`);
    if (parsed.SHUTDOWN_GRACE_MS + CLOSE_MARGIN_MS > stopGrace) {
      problems.push(`worker SHUTDOWN_GRACE_MS ${parsed.SHUTDOWN_GRACE_MS} leaves under ${CLOSE_MARGIN_MS} ms before Docker kills it at ${stopGrace} ms`);
    }
    const signal = worker.stop_signal ?? 'SIGTERM';
    if (signal !== 'SIGTERM' && signal !== 'SIGINT') problems.push(`worker stop_signal ${signal} is not one Nest's shutdown hooks handle`);
    return problems;
  },

  dockerfile: (ctx, d) => {
    const problems: string[] = [];
    const { stages, final } = d;
    if (stages.length < 2 || !final) return ['the Dockerfile is not multi-stage (build, then runtime)'];
    const buildStages = stages.slice(0, -1);
    if (!/^node:20[\w.-]*-bookworm(-slim)?$/.test(final.image)) problems.push(`runtime image ${final.image} is not node:20 on Debian bookworm`);
    // ffmpeg from Debian's archive, in the stage that runs.
    const installsFfmpeg = runCommands(final).some(
      (command) => /^(DEBIAN_FRONTEND=\S+ )?apt-get (-\S+ )*install\b/.test(command) && tokens(command).includes('ffmpeg'),
    );
    if (!installsFfmpeg) problems.push("the runtime stage does not apt-get install Debian's ffmpeg");
    if (!runCommands(final).some((command) => /rm -rf \/var\/lib\/apt\/lists/.test(command))) problems.push('the runtime stage keeps the apt lists');
    const user = last(final, 'USER')?.args.split(':')[0];
    if (!user || user === 'root' || user === '0') problems.push(`the runtime stage runs as ${user ?? 'root (no USER)'}`);
    const healthcheck = last(final, 'HEALTHCHECK');
    if (healthcheck && !/^NONE$/i.test(healthcheck.args)) problems.push('the image has a HEALTHCHECK, which the worker (no HTTP) would always fail');
    if (d.imageEnv.NODE_ENV !== 'production') problems.push('the image does not set NODE_ENV=production');

    // Build stage: npm ci with dev dependencies, nest build, then only production dependencies.
    const builder = buildStages.find((stage) => runCommands(stage).some((c) => c === 'npm run build'));
    if (!builder) return [...problems, 'no build stage runs npm run build'];
    const commands = runCommands(builder);
    const ci = commands.findIndex((c) => /^npm ci\b/.test(c) && !/--(omit=dev|only=prod|production)/.test(c));
    const build = commands.indexOf('npm run build');
    if (ci < 0 || ci > build) problems.push('the build stage does not run npm ci (with dev dependencies) before npm run build');
    const pruned = stages.some((stage) =>
      runCommands(stage).some((c, i) => /^npm (prune|ci)\b.*--(omit=dev|production)/.test(c) && (stage !== builder || i > build)),
    );
    if (!pruned) problems.push('dev dependencies are not pruned (npm prune --omit=dev or npm ci --omit=dev)');
    const copied = copies(builder)
      .filter((c) => !c.from)
      .flatMap((c) => c.sources.map(clean));
    const ignored = ctx.dockerignore.map(clean);
    for (const input of ['package.json', 'package-lock.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'migrations', 'web']) {
      if (!copied.includes(input) && !copied.includes('.')) problems.push(`the build stage does not copy ${input}`);
      if (!existsSync(join(ROOT, input))) problems.push(`${input} does not exist in the project`);
      if (ignored.includes(input) || ignored.includes(input.split('/')[0])) problems.push(`.dockerignore leaves ${input} out of the build context`);
    }
    if (!ctx.tsBuild.include.some((pattern) => pattern.startsWith('migrations/'))) problems.push('tsconfig.build.json does not compile migrations/');

    // Runtime stage: the build's output, production node_modules and package.json.
    const fromBuild = copies(final).filter((c) => c.from === builder.name || c.from === String(stages.indexOf(builder)));
    for (const output of ['dist', 'node_modules', 'package.json']) {
      if (!fromBuild.some((c) => c.sources.some((source) => posix.basename(clean(source)) === output))) {
        problems.push(`the runtime stage does not copy ${output} from the build stage`);
      }
    }
    // The api serves the console from web/dist, relative to its working directory.
    if (!fromBuild.some((c) => c.sources.some((source) => clean(source).endsWith('web/dist')))) {
      problems.push('the runtime stage does not copy the built console (web/dist) from the build stage');
    }

    // The audio directory: owned by the runtime user before it becomes a VOLUME.
    const audioDir = d.imageEnv.AUDIO_DIR;
    const volumeAt = final.instructions.findIndex((i) => i.keyword === 'VOLUME' && (i.args.startsWith('[') ? execForm(i.args) : tokens(i.args)).includes(audioDir));
    if (!audioDir || volumeAt < 0) problems.push(`the image does not declare AUDIO_DIR ${audioDir} a VOLUME`);
    const chowned = final.instructions
      .slice(0, volumeAt < 0 ? undefined : volumeAt)
      .filter((i) => i.keyword === 'RUN')
      .some((i) => i.args.includes(`mkdir -p ${audioDir}`) && new RegExp(`chown (-R )?${user}(:\\S+)? ${audioDir}`).test(i.args));
    if (!chowned) problems.push(`the image does not create ${audioDir} owned by ${user} before declaring the VOLUME`);
    return problems;
  },
};

// ---------------------------------------------------------------------------------------------
// Running them

/** What an operator must provide (compose refuses to start without any of it). */
const REQUIRED_HOST_ENV: HostEnv = {
  POSTGRES_PASSWORD: 'Owner-Pass-42',
  SERVICE_DB_PASSWORD: 'Service-Pass-42',
  JWT_SECRET: 'a-jwt-secret-of-at-least-32-characters-0123',
  SECRETS_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  // An Ed25519 key (PKCS8 DER, base64) made for this test only.
  AIRTIME_SIGNING_KEY: 'MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f',
};

/** Host environments compose is interpolated with: one deployment's, and another's with other passwords. */
const HOST_ENVS: Record<string, HostEnv> = {
  required: REQUIRED_HOST_ENV,
  'other passwords': { ...REQUIRED_HOST_ENV, POSTGRES_PASSWORD: 'Another-Pass-43', SERVICE_DB_PASSWORD: 'Other-Service-Pass-43' },
};

interface Inputs {
  compose: Yaml;
  dockerfile: string;
  nestCli: Context['nestCli'];
}

function loadInputs(): Inputs {
  return {
    compose: parse(read('docker-compose.yml')),
    dockerfile: read('Dockerfile'),
    nestCli: JSON.parse(read('nest-cli.json')),
  };
}

function loadTsBuild(): Context['tsBuild'] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.build.json could not be read');
  const relative = (path: string | undefined) => clean(posix.relative(ROOT.split('\\').join('/'), (path ?? ROOT).split('\\').join('/')) || '.');
  const raw = ts.readConfigFile(join(ROOT, 'tsconfig.build.json'), ts.sys.readFile).config as { include?: string[] };
  return { outDir: relative(config.options.outDir), rootDir: relative(config.options.rootDir), include: raw.include ?? [] };
}

const TS_BUILD = loadTsBuild();
const START_PROD = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start:prod'];
const DOCKERIGNORE = read('.dockerignore')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

/** The problems one check finds, under every host environment. */
function problemsOf(check: string, inputs: Inputs): string[] {
  const problems = new Set<string>();
  for (const [label, host] of Object.entries(HOST_ENVS)) {
    const ctx: Context = {
      compose: interpolateAll(inputs.compose, host),
      dockerfile: inputs.dockerfile,
      nestCli: inputs.nestCli,
      tsBuild: TS_BUILD,
      startProd: START_PROD,
      dockerignore: DOCKERIGNORE,
    };
    for (const problem of CHECKS[check](ctx, derive(ctx))) problems.add(label === 'required' ? problem : `${problem} (with ${label})`);
  }
  return [...problems];
}

describe('docker-compose.yml and Dockerfile', () => {
  it('leave no compose variable unresolved', () => {
    const text = JSON.stringify(interpolateAll(loadInputs().compose, REQUIRED_HOST_ENV));
    expect(text).not.toMatch(/\$\{|\$[A-Za-z_]/);
  });

  it.each(Object.keys(REQUIRED_HOST_ENV))('refuse to start without %s', (name) => {
    const host = { ...REQUIRED_HOST_ENV, [name]: undefined };
    expect(() => interpolateAll(loadInputs().compose, host)).toThrow(name);
  });

  it.each(Object.keys(CHECKS))('pass the %s check', (check) => {
    expect(problemsOf(check, loadInputs())).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Each check notices the breakage it is there for

/** The check that must notice, the breakage, the problem it must report, and how to break a copy of the files. */
type Mutation = [check: string, breakage: string, reported: RegExp, mutate: (inputs: Inputs) => void];

const env = (inputs: Inputs, service: string) => inputs.compose.services[service].environment as Record<string, string>;
const replaceIn = (inputs: Inputs, from: string | RegExp, to: string) => {
  const before = inputs.dockerfile;
  inputs.dockerfile = inputs.dockerfile.replace(from, to);
  if (inputs.dockerfile === before) throw new Error(`the mutation found no ${String(from)} in the Dockerfile`);
};

const MUTATIONS: Mutation[] = [
  ['services', 'no redis service', /service redis is missing/, (i) => delete i.compose.services.redis],
  ['services', 'no worker service', /service worker is missing/, (i) => delete i.compose.services.worker],
  ['redis', 'no append-only file', /--appendonly yes/, (i) => (i.compose.services.redis.command = ['redis-server', '--maxmemory-policy', 'noeviction'])],
  [
    'redis',
    'an evicting memory policy',
    /noeviction/,
    (i) => (i.compose.services.redis.command = ['redis-server', '--appendonly', 'yes', '--maxmemory-policy', 'allkeys-lru']),
  ],
  ['redis', 'redis data not on a volume', /redis \/data is not on a named volume/, (i) => delete i.compose.services.redis.volumes],
  ['postgres', 'no password', /POSTGRES_PASSWORD is not set/, (i) => delete env(i, 'postgres').POSTGRES_PASSWORD],
  ['postgres', 'no healthcheck', /not pg_isready/, (i) => delete i.compose.services.postgres.healthcheck],
  ['same image', 'worker builds another context', /build differently/, (i) => (i.compose.services.worker.build = { context: './worker', dockerfile: 'Dockerfile' })],
  [
    'same image',
    'worker uses an unrelated image',
    /must both build the same Dockerfile/,
    (i) => {
      delete i.compose.services.worker.build;
      i.compose.services.worker.image = 'loa:latest';
    },
  ],
  [
    'same image',
    'a different Dockerfile',
    /build differently|not the project's Dockerfile/,
    (i) => (i.compose.services.api.build = { context: '.', dockerfile: 'Dockerfile.dev' }),
  ],
  ['command', 'api runs the TypeScript sources', /api runs \["npm","start"\]/, (i) => (i.compose.services.api.command = ['npm', 'start'])],
  [
    'command',
    'worker runs a file the build does not produce',
    /worker runs \["node","dist\/main.js"\]/,
    (i) => (i.compose.services.worker.command = 'node dist/main.js'),
  ],
  [
    'command',
    'nest-cli.json entryFile does not match the emitted file',
    /entryFile points at dist\/main.js/,
    (i) => (i.nestCli = { ...i.nestCli, entryFile: 'main' }),
  ],
  ['command', 'the image CMD points elsewhere', /Dockerfile CMD is/, (i) => replaceIn(i, 'CMD ["node", "dist/src/main.js"]', 'CMD ["node", "dist/main.js"]')],
  ['roles', 'api runs both roles', /api runs ROLE=all/, (i) => (env(i, 'api').ROLE = 'all')],
  ['roles', 'worker has no ROLE (defaults to all)', /worker runs ROLE=all/, (i) => delete env(i, 'worker').ROLE],
  [
    'connection urls',
    'worker DATABASE_URL on localhost',
    /worker DATABASE_URL host is localhost/,
    (i) => (env(i, 'worker').DATABASE_URL = 'postgres://loa:${POSTGRES_PASSWORD:-loa}@localhost:5432/loa'),
  ],
  [
    'connection urls',
    'api migrating with a hard-coded password',
    /api DATABASE_MIGRATION_URL password is not POSTGRES_PASSWORD/,
    (i) => (env(i, 'api').DATABASE_MIGRATION_URL = 'postgres://loa:Owner-Pass-42@postgres:5432/loa'),
  ],
  [
    'connection urls',
    'api migrating as another user',
    /api DATABASE_MIGRATION_URL user is not POSTGRES_USER/,
    (i) => (env(i, 'api').DATABASE_MIGRATION_URL = 'postgres://postgres:${POSTGRES_PASSWORD:-loa}@postgres:5432/loa'),
  ],
  [
    'connection urls',
    'the worker querying as the owner',
    /worker DATABASE_URL runs as the owner loa/,
    (i) => (env(i, 'worker').DATABASE_URL = 'postgres://loa:${POSTGRES_PASSWORD:-loa}@postgres:5432/loa'),
  ],
  [
    'connection urls',
    'api querying as some other role',
    /api DATABASE_URL user is reporter, not the service role/,
    (i) => (env(i, 'api').DATABASE_URL = 'postgres://reporter:x@postgres:5432/loa'),
  ],
  ['connection urls', 'worker REDIS_URL on 127.0.0.1', /worker REDIS_URL host is 127.0.0.1/, (i) => (env(i, 'worker').REDIS_URL = 'redis://127.0.0.1:6379')],
  ['connection urls', 'api without REDIS_URL (default localhost)', /api REDIS_URL host is 127.0.0.1/, (i) => delete env(i, 'api').REDIS_URL],
  ['known variables', 'a misspelt variable', /worker sets DATABASE_URI/, (i) => (env(i, 'worker').DATABASE_URI = 'postgres://loa:loa@postgres:5432/loa')],
  ['environment parses', 'an invalid boolean', /api: Invalid environment[\s\S]*MIGRATIONS_RUN/, (i) => (env(i, 'api').MIGRATIONS_RUN = 'sometimes')],
  [
    'environment parses',
    'a non-postgres DATABASE_URL',
    /worker: Invalid environment[\s\S]*DATABASE_URL/,
    (i) => (env(i, 'worker').DATABASE_URL = 'mysql://loa@postgres/loa'),
  ],
  ['configuration builds', 'a port out of range', /api would exit at start: [\s\S]*PORT/, (i) => (env(i, 'api').PORT = '70000')],
  ['configuration builds', 'api without JWT_SECRET', /api would exit at start: [\s\S]*JWT_SECRET=\(unset\)/, (i) => delete env(i, 'api').JWT_SECRET],
  ['configuration builds', 'worker without SECRETS_KEY', /worker would exit at start: [\s\S]*SECRETS_KEY=\(unset\)/, (i) => delete env(i, 'worker').SECRETS_KEY],
  [
    'configuration builds',
    'api allowed the development keys',
    /api would exit at start: [\s\S]*LOA_DEVELOPMENT_KEYS=true: not with NODE_ENV=production/,
    (i) => (env(i, 'api').LOA_DEVELOPMENT_KEYS = 'true'),
  ],
  [
    'depends on',
    'worker starts before the migrations ran',
    /worker waits for the api with service_started/,
    (i) => (i.compose.services.worker.depends_on.api = { condition: 'service_started' }),
  ],
  ['api and worker agree', 'different queue prefixes', /differ on QUEUE_PREFIX/, (i) => (env(i, 'worker').QUEUE_PREFIX = 'other')],
  ['migrations', 'worker also runs migrations', /worker must leave migrations/, (i) => (env(i, 'worker').MIGRATIONS_RUN = 'true')],
  ['migrations', 'api does not run migrations', /api must run the migrations/, (i) => (env(i, 'api').MIGRATIONS_RUN = 'false')],
  ['migrations', 'api migrates as the service role', /api must migrate as the owner/, (i) => delete env(i, 'api').DATABASE_MIGRATION_URL],
  [
    'migrations',
    "worker given the owner's password",
    /worker must not hold the owner's connection/,
    (i) => (env(i, 'worker').DATABASE_MIGRATION_URL = env(i, 'api').DATABASE_MIGRATION_URL),
  ],
  [
    'configuration builds',
    'api without AIRTIME_SIGNING_KEY in production',
    /api would exit at start: [\s\S]*AIRTIME_SIGNING_KEY/,
    (i) => delete env(i, 'api').AIRTIME_SIGNING_KEY,
  ],
  [
    'depends on',
    'api starts before postgres is healthy',
    /api depends on postgres with service_started/,
    (i) => (i.compose.services.api.depends_on.postgres = { condition: 'service_started' }),
  ],
  [
    'depends on',
    'worker depends_on as a plain list',
    /worker depends on redis with service_started/,
    (i) => (i.compose.services.worker.depends_on = ['postgres', 'redis', 'api']),
  ],
  ['depends on', 'redis has no healthcheck', /redis has no healthcheck/, (i) => delete i.compose.services.redis.healthcheck],
  ['audio volume', 'worker mounts audio elsewhere', /worker has no volume at its AUDIO_DIR/, (i) => (i.compose.services.worker.volumes = ['audio:/app/audio'])],
  [
    'audio volume',
    'worker has its own volume',
    /different audio volumes/,
    (i) => {
      i.compose.services.worker.volumes = ['renditions:/var/lib/loa/audio'];
      i.compose.volumes.renditions = null;
    },
  ],
  ['audio volume', 'api writes audio inside the container', /api has no volume at its AUDIO_DIR/, (i) => delete i.compose.services.api.volumes],
  [
    'audio volume',
    'worker mounts audio read-only',
    /worker mounts \/var\/lib\/loa\/audio read-only/,
    (i) => (i.compose.services.worker.volumes = ['audio:/var/lib/loa/audio:ro']),
  ],
  [
    'audio volume',
    'both move AUDIO_DIR away from the node-owned directory',
    /is not \/var\/lib\/loa\/audio, the directory the image makes writable/,
    (i) => {
      for (const name of APP_SERVICES) {
        env(i, name).AUDIO_DIR = '/data/audio';
        i.compose.services[name].volumes = ['audio:/data/audio'];
      }
    },
  ],
  ['api port', 'PORT and the published port disagree', /not 3000:8080 \(its PORT\)/, (i) => (env(i, 'api').PORT = '8080')],
  ['api port', 'another container port published', /not 3000:3000 \(its PORT\)/, (i) => (i.compose.services.api.ports = ['3000:8080'])],
  ['api port', 'api listens on loopback only', /api listens on 127.0.0.1/, (i) => (env(i, 'api').HOST = '127.0.0.1')],
  [
    'api healthcheck',
    'curl, which the slim image lacks',
    /runs curl/,
    (i) => (i.compose.services.api.healthcheck.test = ['CMD', 'curl', '-f', 'http://127.0.0.1:3000/api/health']),
  ],
  [
    'api healthcheck',
    'the wrong path',
    /does not call \/api\/health/,
    (i) => (i.compose.services.api.healthcheck.test = ['CMD', 'node', '-e', "fetch('http://127.0.0.1:3000/health')"]),
  ],
  ['restart', 'worker not restarted', /worker restart is undefined/, (i) => delete i.compose.services.worker.restart],
  ['restart', 'node as PID 1', /api has no init: true/, (i) => delete i.compose.services.api.init],
  ['worker shutdown', "compose's default 10s grace", /stop_grace_period is 10000 ms/, (i) => delete i.compose.services.worker.stop_grace_period],
  ['worker shutdown', 'a job grace longer than Docker waits', /SHUTDOWN_GRACE_MS 58000/, (i) => (env(i, 'worker').SHUTDOWN_GRACE_MS = '58000')],
  [
    'dockerfile',
    'no ffmpeg',
    /does not apt-get install Debian's ffmpeg/,
    (i) => replaceIn(i, /apt-get install -y --no-install-recommends ffmpeg/, 'apt-get install -y --no-install-recommends ca-certificates'),
  ],
  ['dockerfile', 'runs as root', /runs as root/, (i) => replaceIn(i, /^USER node$/m, 'USER root')],
  ['dockerfile', 'no USER', /runs as root \(no USER\)/, (i) => replaceIn(i, /^USER node\n/m, '')],
  ['dockerfile', 'runtime on Alpine', /not node:20 on Debian bookworm/, (i) => replaceIn(i, /FROM node:20-bookworm-slim\n/, 'FROM node:20-alpine\n')],
  ['dockerfile', 'dev dependencies shipped', /dev dependencies are not pruned/, (i) => replaceIn(i, / && npm prune --omit=dev --no-audit --no-fund/, '')],
  ['dockerfile', 'migrations not copied to the build', /does not copy migrations/, (i) => replaceIn(i, /^COPY migrations \.\/migrations\n/m, '')],
  [
    'dockerfile',
    'no lock file for npm ci',
    /does not copy package-lock.json/,
    (i) => replaceIn(i, 'COPY package.json package-lock.json ./', 'COPY package.json ./'),
  ],
  ['dockerfile', 'console sources not copied to the build', /the build stage does not copy web/, (i) => replaceIn(i, /^COPY web \.\/web\n/m, '')],
  ['dockerfile', 'console not copied to the runtime', /does not copy the built console/, (i) => replaceIn(i, /^COPY --from=build \/app\/web\/dist .*\n/m, '')],
  [
    'dockerfile',
    'node_modules not copied to the runtime',
    /does not copy node_modules from the build stage/,
    (i) => replaceIn(i, /^COPY --from=build \/app\/node_modules .*\n/m, ''),
  ],
  [
    'dockerfile',
    'audio directory left to root',
    /does not create \/var\/lib\/loa\/audio owned by node/,
    (i) => replaceIn(i, /RUN mkdir -p \/var\/lib\/loa\/audio && chown node:node \/var\/lib\/loa\/audio\n/, ''),
  ],
  [
    'dockerfile',
    'an HTTP HEALTHCHECK in the image',
    /has a HEALTHCHECK/,
    (i) => replaceIn(i, /^CMD /m, 'HEALTHCHECK CMD node -e "fetch(\'http://127.0.0.1:3000/api/health\')"\nCMD '),
  ],
];

describe('each check fails when the files break that way', () => {
  it.each(MUTATIONS)('%s: %s', (check, _breakage, reported, mutate) => {
    const inputs = loadInputs();
    const before = JSON.stringify(inputs);
    mutate(inputs);
    expect(JSON.stringify(inputs)).not.toEqual(before);
    expect(problemsOf(check, inputs)).toContainEqual(expect.stringMatching(reported));
  });
});
