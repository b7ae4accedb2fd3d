import { Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { DispatchMetrics } from './dispatch-metrics';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics-registry';
import { WorkerMetricsServer } from './worker-metrics-server';

/** The process's metrics registry and the dispatcher's instruments; one instance per process whoever imports it. */
@Module({
  providers: [
    { provide: METRICS_REGISTRY, useFactory: createMetricsRegistry },
    { provide: DispatchMetrics, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new DispatchMetrics(registry) },
    WorkerMetricsServer,
  ],
  exports: [METRICS_REGISTRY, DispatchMetrics],
})
export class MetricsModule {}
