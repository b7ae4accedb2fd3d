import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { METRICS_REGISTRY } from './metrics-registry';

/** Schedules the planner has set aside (ScheduleQuarantine), read from PostgreSQL when Prometheus scrapes the API. */
@Injectable()
export class ScheduleGauges {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(METRICS_REGISTRY) registry: Registry) {
    new Gauge({
      name: 'loa_schedules_quarantined',
      help: 'Active schedules whose rule the planner could not expand, so they are not planned until edited',
      registers: [registry],
      async collect() {
        const [{ n }] = (await dataSource.query(`SELECT count(*)::int AS n FROM schedules WHERE status = 'active' AND quarantined_at IS NOT NULL`)) as [
          { n: number },
        ];
        this.set(n);
      },
    });
  }
}
