import { Role } from '../../src/auth/role';
import { call } from '../support/api';
import { authHeader, createSession, Session } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';
import { ZONE } from './report-fixtures';
import { StalledDownload } from './stalled-download';

const EXPORT_POOL_SIZE = 4;
const EXPORTS_PER_USER = 2;

/** Until `condition` holds, checking every 100 ms (the test's own timeout bounds the wait). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('Exports cannot starve the service', () => {
  let loa: TestApp;
  let viewers: Session[];
  let csvPath: string;
  /** Lines of the whole file, as a client that reads it to the end receives it. */
  let fullLines: number;

  /** Database connections holding the as-run cursor, by the pool they came from. */
  const cursorHolders = async (application: string): Promise<number> =>
    Number(
      (
        await loa.dataSource.query(
          `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND state <> 'idle'
             AND (query LIKE 'DECLARE as_run %' OR query LIKE 'FETCH % FROM as_run')`,
          [application],
        )
      )[0].count,
    );
  /** Export connections in a transaction or a statement: 0 once every export has given its connection back. */
  const busyExportConnections = async (): Promise<number> =>
    Number(
      (
        await loa.dataSource.query(
          `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'loa-all-exports' AND state <> 'idle'`,
        )
      )[0].count,
    );
  const lines = (text: string) => text.split('\r\n').length;

  beforeAll(async () => {
    loa = await startTestApp({
      EXPORT_POOL_SIZE: String(EXPORT_POOL_SIZE),
      EXPORTS_PER_USER: String(EXPORTS_PER_USER),
      EXPORT_STALL_TIMEOUT_SECONDS: '3',
    });
    const commune = loa.places.commune.id;
    viewers = [];
    for (let index = 0; index < 6; index++) viewers.push(await createSession(loa.app, loa.url, Role.Viewer, { communeIds: [commune] }));

    // 89,280 lines (about 25 MB): far more than a socket's buffers hold, so a client that stops reading stalls the export.
    const [speaker] = await loa.dataSource.query(`INSERT INTO speakers (village_id, name, driver) VALUES ($1, 'Cụm loa chợ', 'manual') RETURNING id`, [
      loa.places.village.id,
    ]);
    const [schedule] = await loa.dataSource.query(
      `INSERT INTO schedules (commune_id, title, status, rrule, timezone, priority, program_ms)
       VALUES ($1, 'Lịch dày', 'paused', 'DTSTART:20260101T060000\nRRULE:FREQ=MINUTELY', $2, 'normal', 60000) RETURNING id`,
      [commune, ZONE],
    );
    await loa.dataSource.query(
      `INSERT INTO playbacks (schedule_id, speaker_id, village_id, commune_id, priority, scheduled_at, grace_until, status)
       SELECT $1, $2, $3, $4, 'normal', at, at, 'missed' FROM generate_series('2026-09-30T17:00:00Z'::timestamptz, '2026-10-31T16:59:30Z', interval '30 seconds') AS at`,
      [schedule.id, speaker.id, loa.places.village.id, commune],
    );
    csvPath = `/api/reports/as-run?communeId=${commune}&from=2026-10-01&to=2026-10-31&format=csv`;
    const full = await fetch(`${loa.url}${csvPath}`, { headers: authHeader(loa.people.editor) });
    expect(full.status).toBe(200);
    fullLines = lines(await full.text());
    expect(fullLines).toBeGreaterThan(89_280);
  });

  afterAll(async () => {
    await loa?.close();
  });

  it('keeps the API and its health answering while ten clients stop reading their exports, then ends every one of them', async () => {
    // Five accounts, each at its limit of two: ten downloads, none of them read.
    const downloads = viewers.slice(0, 5).flatMap((viewer) => [0, 1].map(() => StalledDownload.open(loa.url, csvPath, authHeader(viewer))));

    // Every export connection holds a cursor; the others wait for one. None of the API's own connections holds one.
    await until(async () => (await cursorHolders('loa-all-exports')) === EXPORT_POOL_SIZE);
    expect(await cursorHolders('loa-all')).toBe(0);

    const bulletins = await call(loa.people.editor, 'GET', '/api/bulletins');
    expect(bulletins.status).toBe(200);
    const health = await call<{ checks: Record<string, unknown> }>(loa.url, 'GET', '/api/health');
    // The database check is the one starved exports failed; ffmpeg's may be slow on a loaded machine, whatever the exports.
    expect(health.body.checks.database).toBe('ok');

    // The stall timeout ends the stalled ones and frees their connections; the ones left waiting get one or a 503.
    await until(async () => (await busyExportConnections()) === 0 && (await cursorHolders('loa-all-exports')) === 0);
    const received = await Promise.all(downloads.map((download) => download.rest()));
    for (const answer of received) {
      expect([200, 503]).toContain(answer.status);
      if (answer.status === 200) expect(lines(answer.text)).toBeLessThan(fullLines);
      else expect(answer.text).toContain('No export connection came free within 3 s');
    }
    expect(received.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(EXPORT_POOL_SIZE);

    // Freed, not lost: the pool serves a whole export again.
    const again = await fetch(`${loa.url}${csvPath}`, { headers: authHeader(viewers[0]) });
    expect(lines(await again.text())).toBe(fullLines);
  });

  it("refuses an account's export past its limit with 429, ends a stalled export and frees its slot and connection", async () => {
    const viewer = viewers[5];
    const stalled = [0, 1].map(() => StalledDownload.open(loa.url, csvPath, authHeader(viewer)));
    expect(await Promise.all(stalled.map((download) => download.status()))).toEqual([200, 200]);

    const third = await call(viewer, 'GET', csvPath);
    expect(third.status).toBe(429);
    expect(third.body.message).toBe(
      'You already have 2 exports running, the most one account may run at once; wait until one has finished downloading (or cancel it) and try again',
    );
    // The limit is the account's: someone else exports the whole file meanwhile.
    const other = await fetch(`${loa.url}${csvPath}`, { headers: authHeader(loa.people.approver) });
    expect(lines(await other.text())).toBe(fullLines);

    // Past the stall timeout the server closes both connections, ends the cursors' transactions and gives the connections back.
    await until(async () => (await busyExportConnections()) === 0);
    for (const answer of await Promise.all(stalled.map((download) => download.rest()))) {
      expect(answer.status).toBe(200);
      expect(lines(answer.text)).toBeLessThan(fullLines);
    }
    const afterwards = await fetch(`${loa.url}${csvPath}`, { headers: authHeader(viewer) });
    expect(afterwards.status).toBe(200);
    expect(lines(await afterwards.text())).toBe(fullLines);
  });
});
