import { collectDefaultMetrics, Registry } from 'prom-client';

/** The process's Prometheus registry: what this process observes (its dispatches, its event loop, its memory). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'loa_' });
  return registry;
}
