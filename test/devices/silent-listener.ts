import { ChildProcess, spawn } from 'node:child_process';
import { connect, Socket } from 'node:net';

/**
 * A TCP listener on loopback that never accepts, with its listen backlog full: a connection attempt to it gets no
 * answer at all (the kernel drops the SYN), as with a device that is powered but hung. Node always accepts what it
 * listens on, so the listener is a small Python process (listen(0), never accept).
 */
export class SilentListener {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly fillers: Socket[],
  ) {}

  static async start(): Promise<SilentListener> {
    const script = "import socket,sys\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()";
    const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.stdout!.once('data', (line: Buffer) => resolve(Number(line.toString().trim())));
    });
    // listen(0) holds one connection in its queue: fill it, and one more attempt to be sure the next one hangs.
    const fillers: Socket[] = [];
    for (let index = 0; index < 2; index++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      fillers.push(socket);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    return new SilentListener(child, port, fillers);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.fillers) socket.destroy();
    this.child.stdin!.end();
    this.child.kill();
    await new Promise((resolve) => (this.child.exitCode !== null ? resolve(null) : this.child.once('exit', resolve)));
  }
}
