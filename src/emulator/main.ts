/**
 * `npm run speaker:emulate -- --driver axis-vapix|http-gateway --port N [--host h] [--username u --password p]
 *  [--key k --events-url URL] [--time-scale 0.05] [--fault offline|slow|wrong-password|garbage|hang|drop] [--slow-ms 3000]`
 *
 * One emulated speaker, until Ctrl-C. Prints JSON lines: where it listens, then each playback and event.
 */
import { Logger } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { EmulatorOptions, startEmulator } from './emulator';
import { EMULATED_DRIVERS, EMULATOR_FAULTS, EmulatedDriver, EmulatorFault } from './emulator-records';

function number(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min) throw new Error(`--${name} must be a number of at least ${min}`);
  return parsed;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value as T)) throw new Error(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function options(argv: string[]): EmulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      driver: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      key: { type: 'string' },
      'events-url': { type: 'string' },
      'time-scale': { type: 'string' },
      fault: { type: 'string' },
      'slow-ms': { type: 'string' },
    },
  });
  return {
    driver: oneOf<EmulatedDriver>(values.driver, EMULATED_DRIVERS, 'driver'),
    port: number(values.port, 'port', 0),
    host: values.host,
    username: values.username,
    password: values.password,
    key: values.key,
    eventsUrl: values['events-url'],
    timeScale: number(values['time-scale'], 'time-scale', 0.001),
    fault: values.fault === undefined ? null : oneOf<EmulatorFault>(values.fault, EMULATOR_FAULTS, 'fault'),
    slowDelayMs: number(values['slow-ms'], 'slow-ms', 0),
    log: (line) => console.log(JSON.stringify(line)),
  };
}

async function main(): Promise<void> {
  // ffmpeg command lines are logged at debug level; the emulator prints only its own lines.
  Logger.overrideLogger(['error', 'warn', 'fatal']);
  const settings = options(process.argv.slice(2));
  const emulator = await startEmulator(settings);
  if (emulator.fault === 'offline') {
    console.log(JSON.stringify({ event: 'offline', driver: emulator.driver, url: emulator.url, note: 'nothing listens at this address' }));
  }
  // An offline emulator has no server to keep the process alive, but should run until stopped like the others.
  const alive = setInterval(() => undefined, 60_000);
  const stop = async () => {
    clearInterval(alive);
    await emulator.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(2);
});
