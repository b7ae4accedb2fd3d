import { Client } from 'pg';
import { startTestApp, TestApp } from '../support/test-app';
import { FaultStage, until } from './faults-kit';

/** A 16 s bulletin is 8 s on air on the emulated speakers. */
const TIME_SCALE = 0.5;
const OUTAGE_MS = 5_000;
const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Fault: PostgreSQL restarts during dispatch. A real restart would break every other test run on this machine
 * (they share the server), so the restart is simulated for this run's database only: new connections are refused
 * (`ALLOW_CONNECTIONS false`) and every open one is terminated (`pg_terminate_backend`), which is what clients see
 * of a restart; a few seconds later connections are allowed again.
 */
describe('Fault: PostgreSQL restarts during dispatch', () => {
  let loa: TestApp;
  let stage: FaultStage;
  let admin: Client;
  let database: string;

  beforeAll(async () => {
    loa = await startTestApp({ SPEAKER_TIME_SCALE: String(TIME_SCALE) });
    stage = await FaultStage.on(loa, TIME_SCALE);
    database = decodeURIComponent(new URL(loa.config.database.url).pathname.slice(1));
    admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await stage?.close();
    await loa?.close();
  });

  async function restartDatabase(): Promise<void> {
    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    try {
      const [{ terminated }] = (
        await admin.query<{ terminated: number }>(
          'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [database],
        )
      ).rows;
      expect(terminated).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    } finally {
      await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
    }
  }

  it('brings every playback to a terminal state and plays none twice, whether on air or still to come', async () => {
    const bulletinId = await stage.approvedBulletin(16);
    const onAir = await stage.axisSpeaker();
    const coming = await stage.axisSpeaker(loa.places.neighbourVillage.id);
    const first = await stage.schedule([bulletinId], [onAir.id], new Date(Date.now() + 8_000), { misfireGraceSeconds: 120 });
    // Its job is due while the database is away.
    const second = await stage.schedule([bulletinId], [coming.id], new Date(Date.now() + 16_000), { misfireGraceSeconds: 120 });
    await until(async () => (onAir.device.playbacks.some((playback) => playback.outcome === 'playing') ? true : null), 60_000, 'the first speaker on air');

    await restartDatabase();
    // The next planner tick, once the database answers again (its pool reconnects on first use).
    await until(async () => ((await stage.plan()).planned ? true : null), 30_000, 'a planner tick after the restart');

    const settled = await stage.settled([first, second], 180_000);
    expect(settled).toHaveLength(2);
    await stage.expectSound([first, second], [onAir, coming]);
  }, 300_000);
});
