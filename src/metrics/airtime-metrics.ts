import { Counter, Registry } from 'prom-client';

/** The broadcast log's alarms: a chain head the signer refused means someone cut or rewrote the log in the database. */
export class AirtimeMetrics {
  readonly checkpointsRefused: Counter;

  constructor(registry: Registry) {
    this.checkpointsRefused = new Counter({
      name: 'loa_airtime_checkpoints_refused_total',
      help: "Chain heads the signer refused because they do not extend the commune's last checkpoint (records deleted or rewritten): alert on any increase",
      registers: [registry],
    });
  }
}
