import { Client } from 'pg';
import { adminDatabaseUrl } from '../support/migrated-database';
import { startTestApp, TestApp } from '../support/test-app';
import { FaultStage, until } from './faults-kit';

/** A 16 s bulletin is 8 s on air on the modelled speakers. */
const TIME_SCALE = 0.5;
const OUTAGE_MS = 5_000;

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
    admin = new Client({ connectionString: adminDatabaseUrl() });
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

  it('plays every slot once, with its instants, whether on air, released or due to be staged during the outage', async () => {
    const bulletinId = await stage.approvedBulletin(16);
    const onAir = await stage.axisSpeaker();
    const released = await stage.axisSpeaker(loa.places.neighbourVillage.id);
    const staged = await stage.axisSpeaker(loa.places.neighbourVillage.id);
    const start = Date.now();
    // On air (8 s) when the database goes away.
    const first = await stage.schedule([bulletinId], [onAir.id], new Date(start + 8_000), { misfireGraceSeconds: 120 });
    // Staged before the outage, its instant inside it: the driver is called without the database.
    const second = await stage.schedule([bulletinId], [released.id], new Date(start + 12_000), { misfireGraceSeconds: 120 });
    // Its job arrives (10 s ahead) inside the outage and fails on the database; the next planner tick queues it again.
    const third = await stage.schedule([bulletinId], [staged.id], new Date(start + 22_000), { misfireGraceSeconds: 120 });
    await until(async () => (onAir.device.onAir ? true : null), 60_000, 'the first speaker on air');

    const outageStart = Date.now();
    await restartDatabase();
    const outageEnd = Date.now();
    // The next planner tick, once the database answers again (its pool reconnects on first use).
    await until(async () => ((await stage.plan()).planned ? true : null), 30_000, 'a planner tick after the restart');

    const settled = await stage.settled([first, second, third], 180_000);
    expect(settled).toHaveLength(3);
    // docs/dispatch.md: a restart loses nothing a speaker did. Each played once, its call's instant and lateness kept.
    for (const row of settled) {
      expect(row).toMatchObject({ status: 'played', failureCode: null, attempts: 1 });
      expect(row.startedAt).not.toBeNull();
      expect(row.latenessMs).toBeGreaterThanOrEqual(0);
      // On time, generously: a few seconds on a loaded machine, far from a lost slot (grace 120 s).
      expect(row.latenessMs).toBeLessThan(5_000);
    }
    const secondRow = settled.find((row) => row.speakerId === released.id)!;
    // Its instant fell inside the outage: it went on air while the database was away.
    expect(secondRow.scheduledAt.getTime()).toBeGreaterThan(outageStart);
    expect(secondRow.scheduledAt.getTime()).toBeLessThan(outageEnd);
    await stage.expectSound([first, second, third], [onAir, released, staged]);
    // Each device heard exactly one transmission, to its end: none was cut by the outage, none repeated after it.
    for (const { device } of [onAir, released, staged]) expect(device.transmissions.map((transmission) => transmission.outcome)).toEqual(['played']);
    // And the broadcast log kept the proof of each, though the outage fell between the driver calls and their entries:
    // an append the outage refused is tried again for about a minute (docs/dispatch.md).
    const logged = await until(
      async () => {
        const rows = (await loa.dataSource.query(
          `SELECT playback_id AS "playbackId", array_agg(event ORDER BY event) AS events FROM airtime_records WHERE playback_id = ANY($1) GROUP BY playback_id`,
          [settled.map((row) => row.id)],
        )) as Array<{ playbackId: string; events: string[] }>;
        const proven = rows.filter(({ events }) => events.includes('commanded') && events.includes('finished'));
        return proven.length === 3 ? rows : null;
      },
      90_000,
      'commanded and finished in the broadcast log for each slot',
    );
    expect(logged).toHaveLength(3);
  }, 300_000);
});
