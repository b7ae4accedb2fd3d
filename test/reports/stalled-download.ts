import { once } from 'node:events';
import { connect, Socket } from 'node:net';

/** What a download's client received once it read again: the status, the text, and how it ended. */
export interface Received {
  status: number;
  text: string;
}

/**
 * A client that asks for a file over a raw socket and then stops reading: Node's stream takes up to its high-water
 * mark and leaves the rest in the kernel, so the server's writes back up as with a phone that lost its signal.
 */
export class StalledDownload {
  private readonly socket: Socket;
  private readonly chunks: Buffer[] = [];
  private readonly closed: Promise<void>;

  private constructor(base: string, path: string, headers: Record<string, string>) {
    const { hostname, port } = new URL(base);
    this.socket = connect(Number(port), hostname);
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    // A reset from the server is one way of being cut off; the outcome is read from what arrived.
    this.socket.on('error', () => undefined);
    const lines = Object.entries({ Host: `${hostname}:${port}`, ...headers, Connection: 'close' }).map(([name, value]) => `${name}: ${value}`);
    this.socket.write(`GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
  }

  static open(base: string, path: string, headers: Record<string, string>): StalledDownload {
    return new StalledDownload(base, path, headers);
  }

  /** Reads until the status line has come, then stops reading again; answers the status. */
  async status(): Promise<number> {
    while (!this.text().includes('\r\n')) {
      await once(this.socket, 'readable');
      for (let chunk: Buffer | null; (chunk = this.socket.read() as Buffer | null) !== null;) this.chunks.push(chunk);
    }
    return statusOf(this.text());
  }

  /** Reads everything that is left until the server closes the connection. */
  async rest(): Promise<Received> {
    this.socket.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.socket.resume();
    await this.closed;
    return { status: statusOf(this.text()), text: this.text() };
  }

  close(): void {
    this.socket.destroy();
  }

  private text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function statusOf(text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}
