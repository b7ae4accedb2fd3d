import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds, from "on the instant" to "past a default misfire grace". */
const LATENESS_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600];
const SPREAD_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 5];
const STAGE_BUCKETS = [-5, -1, 0, 0.5, 1, 2, 3, 4, 5, 10];

/**
 * What the dispatcher observes, where it observes it (the process that calls the drivers): lateness of every driver
 * call, outcomes, retries, the start spread within each village, and how far ahead of the instant each village was
 * ready. See docs/dispatch.md for how these reach Prometheus in each process role.
 */
export class DispatchMetrics {
  readonly lateness: Histogram<'priority'>;
  readonly outcomes: Counter<'outcome' | 'priority'>;
  readonly retries: Counter<'kind'>;
  readonly villageSpread: Histogram;
  readonly stagedAhead: Histogram;
  readonly onAir: Gauge;

  constructor(registry: Registry) {
    this.lateness = new Histogram({
      name: 'loa_playback_lateness_seconds',
      help: 'Driver call instant minus scheduled instant, per playback attempt that reached a driver',
      labelNames: ['priority'],
      buckets: LATENESS_BUCKETS,
      registers: [registry],
    });
    this.outcomes = new Counter({
      name: 'loa_playback_outcomes_total',
      help: 'Playbacks that ended in this process, by outcome (played, playing = awaiting the operator, failed, missed, preempted)',
      labelNames: ['outcome', 'priority'],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'loa_playback_driver_retries_total',
      help: 'Driver calls retried after a transient error (unreachable, timeout, busy)',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.villageSpread = new Histogram({
      name: 'loa_village_start_spread_seconds',
      help: 'Last minus first driver call among the speakers of one village released together on one instant',
      buckets: SPREAD_BUCKETS,
      registers: [registry],
    });
    this.stagedAhead = new Histogram({
      name: 'loa_dispatch_staged_ahead_seconds',
      help: 'How long before its instant a village was ready to release (negative: staged late, the queue or the database was slow)',
      buckets: STAGE_BUCKETS,
      registers: [registry],
    });
    this.onAir = new Gauge({
      name: 'loa_playbacks_on_air',
      help: 'Playbacks this process is driving right now',
      registers: [registry],
    });
  }
}
