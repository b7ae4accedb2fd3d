import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { WorkerMetricsServer } from './worker-metrics-server';

function workerConfig(port: number): AppConfig {
  return AppConfig.fromEnvironment({ ROLE: 'worker', HOST: '127.0.0.1', WORKER_METRICS_PORT: String(port) }, []);
}

function listening(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** A port nothing listens on (the system's pick, released at once). */
async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listening(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('WorkerMetricsServer', () => {
  const registry = new Registry();
  new Counter({ name: 'loa_test_dispatches_total', help: 'a counter the worker exposes', registers: [registry] }).inc(3);
  const started: WorkerMetricsServer[] = [];
  let squatter: Server | undefined;

  afterEach(async () => {
    for (const server of started.splice(0)) await server.beforeApplicationShutdown();
    await new Promise((resolve) => (squatter ? squatter.close(resolve) : resolve(undefined)));
    squatter = undefined;
  });

  it('serves the registry at GET /metrics and answers 404 elsewhere', async () => {
    const port = await freePort();
    const server = new WorkerMetricsServer(workerConfig(port), registry);
    started.push(server);
    await server.onApplicationBootstrap();

    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^loa_test_dispatches_total 3$/m);
    expect((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);
  });

  it('starts anyway when its port is taken: a worker without metrics still dispatches', async () => {
    squatter = createServer((_request, response) => response.end('someone else'));
    const port = await listening(squatter);
    const server = new WorkerMetricsServer(workerConfig(port), registry);
    started.push(server);
    await expect(server.onApplicationBootstrap()).resolves.toBeUndefined();
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toBe('someone else');
  });
});
