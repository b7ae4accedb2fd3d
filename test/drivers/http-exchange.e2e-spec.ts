import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import net, { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriverError } from '../../src/speakers/drivers/driver-error';
import { exchange, ExchangeRequest } from '../../src/speakers/drivers/http-exchange';
import { timed } from './support/driver-audio';

/** A raw TCP server that answers every connection with `behave`, to play devices no HTTP server would imitate. */
async function rawDevice(behave: (socket: Socket) => void): Promise<{ url: URL; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    behave(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/axis-cgi/param.cgi`),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Waits for the end of the request head, then writes `answer`. */
function answering(answer: string | Buffer, then: (socket: Socket) => void = (socket) => socket.end()) {
  return (socket: Socket) => {
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        socket.write(answer);
        then(socket);
      }
    });
  };
}

/** The one message of every connection that could not be made, whatever the cause. */
const UNREACHABLE = (url: URL) => `${url.host} could not be reached: check that the device is powered, on the network and at this address`;

function request(url: URL, overrides: Partial<ExchangeRequest> = {}): ExchangeRequest {
  return { url, method: 'GET', connectTimeoutMs: 1_000, allowLoopback: true, answerTimeoutMs: 500, maxResponseBytes: 1024, ...overrides };
}

describe('exchange: one bounded HTTP request to a device', () => {
  const devices: { close: () => Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((device) => device.close()));
  });

  async function device(behave: (socket: Socket) => void) {
    const started = await rawDevice(behave);
    devices.push(started);
    return started.url;
  }

  async function failure(work: Promise<unknown>): Promise<DriverError> {
    const error = await work.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DriverError);
    return error as DriverError;
  }

  it('returns status, headers (repeated ones kept apart) and body', async () => {
    const url = await device(
      answering('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="a"\r\nWWW-Authenticate: Basic realm="a"\r\nContent-Length: 2\r\n\r\nno'),
    );
    const response = await exchange(request(url));
    expect(response.status).toBe(401);
    expect(response.headersDistinct['www-authenticate']).toEqual(['Digest realm="a"', 'Basic realm="a"']);
    expect(response.body.toString()).toBe('no');
  });

  /** A device that answers 200 once it holds `bytes` of body, noting when the first and the last byte came. */
  async function holding(bytes: number): Promise<{ url: URL; head: () => string; body: () => Buffer; firstAt: () => number; lastAt: () => number }> {
    let received = Buffer.alloc(0);
    let firstAt = 0;
    let lastAt = 0;
    const url = await device((socket) =>
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const head = received.indexOf('\r\n\r\n');
        if (head < 0) return;
        const body = received.length - head - 4;
        if (body > 0 && firstAt === 0) firstAt = Date.now();
        if (body >= bytes) {
          lastAt = Date.now();
          socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
        }
      }),
    );
    const split = () => received.indexOf('\r\n\r\n');
    return {
      url,
      head: () => received.subarray(0, split()).toString('latin1'),
      body: () => received.subarray(split() + 4),
      firstAt: () => firstAt,
      lastAt: () => lastAt,
    };
  }

  it('streams files one after the other as one body with its exact Content-Length', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loa-exchange-'));
    const paths = [join(dir, 'chime.mulaw'), join(dir, 'bulletin.mulaw')];
    await writeFile(paths[0], Buffer.alloc(5_000, 0x11));
    await writeFile(paths[1], Buffer.alloc(15_000, 0x22));
    const speaker = await holding(20_000);
    const sentAt: Date[] = [];
    const response = await exchange(request(speaker.url, { method: 'POST', body: { paths, bytes: 20_000 }, onSent: (at) => sentAt.push(at) }));
    expect(response).toMatchObject({ status: 200, bodyBytesSent: 20_000 });
    expect(speaker.head()).toMatch(/\r\ncontent-length: 20000$/im);
    expect(speaker.head()).not.toMatch(/transfer-encoding/i);
    expect(speaker.body().equals(Buffer.concat([Buffer.alloc(5_000, 0x11), Buffer.alloc(15_000, 0x22)]))).toBe(true);
    expect(sentAt).toHaveLength(1);
    await rm(dir, { recursive: true, force: true });
  });

  it('paces a body at its rate after the lead: the last byte leaves no earlier than its time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loa-exchange-'));
    const path = join(dir, 'audio.mulaw');
    await writeFile(path, Buffer.alloc(8_000, 0x7f));
    const speaker = await holding(8_000);
    // 16,000 bytes a second with 2,000 sent at once: the last of 8,000 bytes is due 375 ms after the first.
    const pace = { bytesPerSecond: 16_000, leadBytes: 2_000, chunkBytes: 1_000 };
    // Counted from the request, not from the first byte's arrival: a loaded machine may deliver that late, and the
    // pacing then looks shorter than it was.
    const requested = Date.now();
    const response = await exchange(request(speaker.url, { method: 'POST', body: { paths: [path], bytes: 8_000, pace }, answerTimeoutMs: 5_000 }));
    expect(response).toMatchObject({ status: 200, bodyBytesSent: 8_000 });
    expect(speaker.lastAt() - requested).toBeGreaterThanOrEqual(375);
    await rm(dir, { recursive: true, force: true });
  });

  it('calls an answer that is not HTTP a protocol error', async () => {
    const url = await device(answering(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x0d, 0x0a])));
    expect(await failure(exchange(request(url)))).toMatchObject({ kind: 'protocol', message: expect.stringMatching(/not HTTP/) });
  });

  it('stops reading an answer larger than the bound', async () => {
    const url = await device(answering(`HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(100_000)}`));
    expect(await failure(exchange(request(url)))).toMatchObject({ kind: 'protocol', message: expect.stringMatching(/more than 1024 bytes/) });
  });

  it('refuses oversized headers', async () => {
    const url = await device(answering(`HTTP/1.1 200 OK\r\nX-Filler: ${'y'.repeat(20_000)}\r\nContent-Length: 0\r\n\r\n`));
    expect(await failure(exchange(request(url)))).toMatchObject({ kind: 'protocol' });
  });

  it('calls an answer cut short a protocol error', async () => {
    const url = await device(answering('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this', (socket) => socket.destroy()));
    expect(await failure(exchange(request(url)))).toMatchObject({ kind: 'protocol', message: expect.stringMatching(/middle of its answer/) });
  });

  it('calls a connection closed without an answer a protocol error unless the caller says what it means', async () => {
    const url = await device((socket) => socket.once('data', () => socket.destroy()));
    expect(await failure(exchange(request(url)))).toMatchObject({ kind: 'protocol', message: expect.stringMatching(/without answering/) });
    const meaning = new DriverError('rejected', 'did not play');
    expect(await failure(exchange(request(url, { closedWithoutAnswer: () => meaning })))).toBe(meaning);
  });

  it('times out when no answer comes, counted from the connection', async () => {
    const url = await device(() => undefined);
    const result = await timed(() => exchange(request(url, { answerTimeoutMs: 300 })));
    expect(result.error).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/did not answer within 0.3 s/) });
    expect(result.ms).toBeGreaterThanOrEqual(290);
    expect(result.ms).toBeLessThan(1_000);
  });

  it('calls a refused connection unreachable', async () => {
    const url = await device(() => undefined);
    await devices.pop()!.close();
    expect(await failure(exchange(request(url)))).toMatchObject({ kind: 'unreachable', message: UNREACHABLE(url) });
  });

  it('refuses, before connecting, a device on the loopback unless allowed, whether it is named by number or by name', async () => {
    const url = await device(answering('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    expect((await exchange(request(url))).status).toBe(200);
    const byName = new URL(url.href.replace('127.0.0.1', 'localhost'));
    for (const refused of [url, byName]) {
      expect(await failure(exchange(request(refused, { allowLoopback: false })))).toMatchObject({ kind: 'unreachable', message: UNREACHABLE(refused) });
    }
  });

  it('never connects to a link-local (cloud metadata) or unspecified address, whatever the loopback setting', async () => {
    for (const host of ['169.254.169.254', '0.0.0.0', '[::]']) {
      const url = new URL(`http://${host}/latest/meta-data/`);
      expect(await failure(exchange(request(url)))).toMatchObject({ kind: 'unreachable', message: UNREACHABLE(url) });
    }
  });

  it('rejects with the abort reason, at once, when the signal aborts', async () => {
    const url = await device(() => undefined);
    const controller = new AbortController();
    const pending = timed(() => exchange(request(url, { answerTimeoutMs: 5_000, signal: controller.signal })));
    setTimeout(() => controller.abort(new Error('stopped')), 100);
    const result = await pending;
    expect(result.error).toEqual(new Error('stopped'));
    expect(result.ms).toBeLessThan(1_000);
  });
});
