import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A separate Loa process (default role `worker`), as production runs it, that a test can kill. */
export class WorkerProcess {
  private output = '';

  private constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static start(environment: Record<string, string>): WorkerProcess {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        ROLE: 'worker',
        MIGRATIONS_RUN: 'false',
        DATABASE_CREATE_IF_MISSING: 'false',
        LOG_LEVEL: 'info',
        SPEAKER_HEALTH_MONITOR: 'false',
        PLANNER: 'false',
        // Several workers run at once (and the other shard's): none serves metrics unless a test asks for a port.
        WORKER_METRICS_PORT: '0',
        // The device models listen on 127.0.0.1.
        SPEAKER_ALLOW_LOOPBACK: 'true',
        ...environment,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new WorkerProcess(child);
  }

  get log(): string {
    return this.output;
  }

  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited(): Promise<number | string> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return Promise.resolve(this.child.exitCode ?? (this.child.signalCode as string));
    }
    return new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(code ?? (signal as string))));
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited();
  }
}
