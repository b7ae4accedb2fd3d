import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { Registry } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { METRICS_REGISTRY } from './metrics-registry';

/**
 * A worker-only process has no HTTP API, yet it is where the drivers are called and lateness is observed: it serves
 * its own registry at `GET /metrics` on WORKER_METRICS_PORT for Prometheus to scrape beside the API's /api/metrics.
 * In the `all` role the API serves the same registry and this server stays off. A port that cannot be bound is
 * logged, not fatal.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server: Server | null = null;

  constructor(
    private readonly config: AppConfig,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.runsApi || this.config.workerMetricsPort === 0) return;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'Only GET /metrics is served here' }));
        return;
      }
      this.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (error: unknown) => {
          this.logger.error({ err: error }, 'Could not collect the metrics');
          response
            .writeHead(500, { 'content-type': 'application/json' })
            .end(JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'Metrics could not be collected' }));
        },
      );
    });
    const port = this.config.workerMetricsPort;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, this.config.http.host, () => resolve());
      });
    } catch (error) {
      // Broadcasts matter more than their metrics: a taken port must not keep this worker from dispatching.
      this.logger.error({ err: error, port }, 'Worker metrics could not be served (is the port taken? set WORKER_METRICS_PORT); dispatch goes on without them');
      return;
    }
    this.server = server;
    this.logger.log({ port }, 'Worker metrics served at /metrics');
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
