import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { PlaybackRepository } from '../playbacks/playback-repository';
import { PLAYBACK_STATUSES } from '../playbacks/playback-status';
import { METRICS_REGISTRY } from './metrics-registry';

/** A waiting playback this long past its instant means nothing is dispatching (no worker, no Redis, no job). */
const OVERDUE_SECONDS = 30;

/**
 * Gauges read from PostgreSQL, the source of truth, when Prometheus scrapes the API: they hold whatever process
 * dispatched, so they are right with any number of workers and across restarts.
 */
@Injectable()
export class PlaybackGauges {
  constructor(playbacks: PlaybackRepository, @Inject(METRICS_REGISTRY) registry: Registry) {
    new Gauge({
      name: 'loa_playbacks',
      help: 'Playbacks scheduled from 24 h ago to 24 h ahead, by status',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const rows = await playbacks.countByStatusAroundNow();
        this.reset();
        for (const status of PLAYBACK_STATUSES) this.set({ status }, rows.find((row) => row.status === status)?.n ?? 0);
      },
    });
    new Gauge({
      name: 'loa_playbacks_overdue',
      help: `Playbacks still waiting more than ${OVERDUE_SECONDS} s after their instant: nothing is dispatching them`,
      registers: [registry],
      async collect() {
        this.set(await playbacks.countOverdue(OVERDUE_SECONDS));
      },
    });
  }
}
