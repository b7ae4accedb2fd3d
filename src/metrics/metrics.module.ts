import { Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { AirtimeMetrics } from './airtime-metrics';
import { DispatchMetrics } from './dispatch-metrics';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics-registry';
import { WorkerMetricsServer } from './worker-metrics-server';

/** The process's metrics registry, the dispatcher's instruments and the broadcast log's alarms; one instance per process whoever imports it. */
@Module({
  providers: [
    { provide: METRICS_REGISTRY, useFactory: createMetricsRegistry },
    { provide: DispatchMetrics, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new DispatchMetrics(registry) },
    { provide: AirtimeMetrics, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new AirtimeMetrics(registry) },
    WorkerMetricsServer,
  ],
  exports: [METRICS_REGISTRY, DispatchMetrics, AirtimeMetrics],
})
export class MetricsModule {}
