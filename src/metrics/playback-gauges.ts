import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { PLAYBACK_STATUSES, WAITING_PLAYBACK_STATUSES } from '../playbacks/playback-status';
import { METRICS_REGISTRY } from './metrics-registry';

/** A waiting playback this long past its instant means nothing is dispatching (no worker, no Redis, no job). */
const OVERDUE_SECONDS = 30;

/**
 * Gauges read from PostgreSQL, the source of truth, when Prometheus scrapes the API: they hold whatever process
 * dispatched, so they are right with any number of workers and across restarts.
 */
@Injectable()
export class PlaybackGauges {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(METRICS_REGISTRY) registry: Registry) {
    new Gauge({
      name: 'loa_playbacks',
      help: 'Playbacks scheduled from 24 h ago to 24 h ahead, by status',
      labelNames: ['status'],
      registers: [registry],
      async collect() {
        const rows = (await dataSource.query(
          `SELECT status, count(*)::int AS n FROM playbacks
            WHERE scheduled_at BETWEEN now() - interval '24 hours' AND now() + interval '24 hours' GROUP BY status`,
        )) as Array<{ status: string; n: number }>;
        this.reset();
        for (const status of PLAYBACK_STATUSES) this.set({ status }, rows.find((row) => row.status === status)?.n ?? 0);
      },
    });
    new Gauge({
      name: 'loa_playbacks_overdue',
      help: `Playbacks still waiting more than ${OVERDUE_SECONDS} s after their instant: nothing is dispatching them`,
      registers: [registry],
      async collect() {
        const [{ n }] = (await dataSource.query(
          `SELECT count(*)::int AS n FROM playbacks WHERE status = ANY($1) AND scheduled_at < now() - make_interval(secs => $2)`,
          [WAITING_PLAYBACK_STATUSES, OVERDUE_SECONDS],
        )) as [{ n: number }];
        this.set(n);
      },
    });
  }
}
