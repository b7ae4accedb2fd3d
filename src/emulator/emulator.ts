import { mkdtemp, rm } from 'node:fs/promises';
import http, { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FfmpegAdapter } from '../media/ffmpeg.adapter';
import { AudioDecoder, emulatorFfmpeg } from './audio-decoder';
import { AxisDevice } from './axis-device';
import { EmulatedDevice, EmulatedDriver, EmulatedRequest, EmulatorFault, EmulatorLog, EmulatorRecords } from './emulator-records';
import { GatewayDevice } from './gateway-device';
import { answer } from './http-helpers';

export interface EmulatorOptions {
  driver: EmulatedDriver;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** axis-vapix: the Digest credentials the device accepts (username defaults to root). */
  username?: string;
  password?: string;
  /** http-gateway: the HMAC key shared with Loa, and where events are posted. */
  key?: string;
  eventsUrl?: string;
  /** Playback lasts the audio's duration times this; below 1 makes tests fast. */
  timeScale?: number;
  fault?: EmulatorFault | null;
  /** How long the `slow` fault holds every answer back. */
  slowDelayMs?: number;
  /** axis-vapix: how long a Digest nonce is valid before the device calls it stale. */
  nonceTtlMs?: number;
  /** http-gateway: bytes per Range request when fetching audio. */
  rangeChunkBytes?: number;
  ffmpeg?: FfmpegAdapter;
  log?: EmulatorLog;
}

export interface Emulator extends EmulatorRecords {
  readonly driver: EmulatedDriver;
  readonly fault: EmulatorFault | null;
  /** Base URL to store as the speaker's `settings.url`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULTS = { host: '127.0.0.1', username: 'root', timeScale: 1, slowDelayMs: 3_000, nonceTtlMs: 5 * 60_000, rangeChunkBytes: 256 * 1024 };

/** What a device with the wrong software at its address answers: a web page, with 200. */
const GARBAGE_PAGE = '<!DOCTYPE html><html><head><title>Router login</title></head><body><form>Password: <input></form></body></html>';

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** A port nobody listens on, for the `offline` fault. */
async function freePort(host: string): Promise<number> {
  const probe = http.createServer();
  const port = await listen(probe, 0, host);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function required(value: string | undefined, name: string, driver: EmulatedDriver): string {
  if (!value) throw new Error(`The ${driver} emulator needs ${name}`);
  return value;
}

async function createDevice(options: EmulatorOptions, records: EmulatorRecords, workDir: string, log: EmulatorLog): Promise<EmulatedDevice> {
  const common = {
    timeScale: options.timeScale ?? DEFAULTS.timeScale,
    fault: options.fault ?? null,
    workDir,
    decoder: new AudioDecoder(options.ffmpeg ?? emulatorFfmpeg()),
    log,
  };
  if (options.driver === 'axis-vapix') {
    return new AxisDevice(
      {
        ...common,
        username: options.username ?? DEFAULTS.username,
        password: required(options.password, 'a password', options.driver),
        nonceTtlMs: options.nonceTtlMs ?? DEFAULTS.nonceTtlMs,
      },
      records,
    );
  }
  return new GatewayDevice(
    {
      ...common,
      key: required(options.key, 'a key', options.driver),
      eventsUrl: required(options.eventsUrl, 'an events URL', options.driver),
      rangeChunkBytes: options.rangeChunkBytes ?? DEFAULTS.rangeChunkBytes,
    },
    records,
  );
}

/**
 * Starts an emulated speaker over HTTP (node:http, no Nest) and returns its address and what it lived through:
 * the requests it received, its playbacks and, for a gateway, the events it posted.
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const host = options.host ?? DEFAULTS.host;
  const fault = options.fault ?? null;
  const log = options.log ?? (() => undefined);
  const records: EmulatorRecords = { requests: [], playbacks: [], events: [] };
  const workDir = await mkdtemp(join(tmpdir(), 'loa-emulator-'));
  const device = await createDevice(options, records, workDir, log).catch(async (error) => {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  });

  if (fault === 'offline') {
    const port = options.port || (await freePort(host));
    await rm(workDir, { recursive: true, force: true });
    return { ...records, driver: options.driver, fault, url: `http://${host}:${port}`, port, close: async () => undefined };
  }

  const closing = new AbortController();
  const serve = async (request: IncomingMessage, response: ServerResponse, entry: EmulatedRequest) => {
    if (fault === 'hang') return void request.resume();
    if (fault === 'garbage') {
      request.resume();
      return answer(response, entry, 200, GARBAGE_PAGE, { 'Content-Type': 'text/html' });
    }
    if (fault === 'slow') await sleep(options.slowDelayMs ?? DEFAULTS.slowDelayMs, undefined, { signal: closing.signal });
    device.handle(request, response, entry);
  };
  const server = http.createServer((request, response) => {
    const entry: EmulatedRequest = { method: request.method ?? '', path: request.url ?? '', authorized: false, status: null };
    records.requests.push(entry);
    serve(request, response, entry).catch(() => response.destroy());
  });
  // Hung and playing connections would keep close() waiting: they are ended with the emulator.
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, options.port ?? 0, host);
  log({ event: 'listening', driver: options.driver, url: `http://${host}:${port}`, fault });

  return {
    ...records,
    driver: options.driver,
    fault,
    url: `http://${host}:${port}`,
    port,
    async close() {
      closing.abort();
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await device.close();
      await closed;
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
