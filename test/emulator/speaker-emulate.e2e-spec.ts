import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AxisVapixDriver } from '../../src/speakers/drivers/axis-vapix/axis-vapix.driver';
import { HttpGatewayDriver } from '../../src/speakers/drivers/http-gateway/http-gateway.driver';

const ROOT = join(__dirname, '..', '..');

/** `npm run speaker:emulate -- …` as a person runs it, without npm's own output. */
function emulate(args: string[]): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'emulator', 'main.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The first JSON line the emulator prints. */
async function firstLine(child: ChildProcess): Promise<Record<string, unknown>> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, 'line')) as [string];
  lines.close();
  return JSON.parse(line);
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/** The emulator listens on this machine's loopback, which drivers refuse unless told. */
const ON_THIS_MACHINE = { allowLoopback: true };

describe('npm run speaker:emulate', () => {
  const children: ChildProcess[] = [];
  afterEach(async () => {
    await Promise.all(children.splice(0).map(stop));
  });

  function start(args: string[]): ChildProcess {
    const child = emulate(args);
    children.push(child);
    return child;
  }

  it('runs an Axis speaker that Loa can reach with Digest credentials, until SIGTERM', async () => {
    const child = start(['--driver', 'axis-vapix', '--port', '0', '--username', 'operator', '--password', 'Loa-2026', '--time-scale', '0.05']);
    const listening = await firstLine(child);
    expect(listening).toMatchObject({ event: 'listening', driver: 'axis-vapix', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), fault: null });
    const target = { settings: { url: listening.url as string }, secrets: { username: 'operator', password: 'Loa-2026' } };
    expect(await new AxisVapixDriver(ON_THIS_MACHINE).checkHealth(target)).toMatchObject({ ok: true });
    expect(await stop(children.pop()!)).toBe(0);
  });

  it('runs a gateway with a fault mode', async () => {
    const key = 'k'.repeat(40);
    const child = start(['--driver', 'http-gateway', '--key', key, '--events-url', 'http://127.0.0.1:9/api/gateway/events', '--fault', 'garbage']);
    const listening = await firstLine(child);
    expect(listening).toMatchObject({ event: 'listening', fault: 'garbage' });
    const health = await new HttpGatewayDriver(ON_THIS_MACHINE).checkHealth({ settings: { url: listening.url as string }, secrets: { key } });
    expect(health).toMatchObject({ ok: false, errorKind: 'protocol' });
  });

  it('stays up while offline, with nothing listening at its address', async () => {
    const child = start(['--driver', 'axis-vapix', '--password', 'x', '--fault', 'offline']);
    const offline = await firstLine(child);
    expect(offline).toMatchObject({ event: 'offline', url: expect.stringMatching(/^http:\/\//) });
    const health = await new AxisVapixDriver(ON_THIS_MACHINE).checkHealth({
      settings: { url: offline.url as string },
      secrets: { username: 'root', password: 'x' },
    });
    expect(health).toMatchObject({ ok: false, errorKind: 'unreachable' });
    expect(child.exitCode).toBeNull();
  });

  it.each([
    [['--driver', 'icecast'], /--driver must be one of axis-vapix, http-gateway/],
    [['--driver', 'axis-vapix'], /needs a password/],
    [['--driver', 'http-gateway', '--key', 'k'], /needs an events URL/],
    [['--driver', 'axis-vapix', '--password', 'x', '--fault', 'fire'], /--fault must be one of offline, slow/],
    [['--driver', 'axis-vapix', '--password', 'x', '--time-scale', 'fast'], /--time-scale must be a number/],
  ])('refuses %j with a message and exit code 2', async (args, message) => {
    const child = start(args);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
