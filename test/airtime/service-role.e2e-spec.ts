import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AirtimeLedger } from '../../src/airtime/airtime-ledger';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';
import { entryIn } from './airtime-fixtures';

/**
 * The role split: the owner (the run's test role here) migrates and grants; the service runs as a login role that
 * owns nothing and may not rewrite the broadcast log.
 */
describe('The service database role', () => {
  const role = `loa_service_${randomUUID().slice(0, 8)}`;
  const ownerUrl = process.env.DATABASE_URL!;
  const serviceUrl = (() => {
    const url = new URL(ownerUrl);
    url.username = role;
    url.password = 'service-password';
    return url.toString();
  })();
  let loa: TestApp;
  let service: Client;

  beforeAll(async () => {
    // As in docker-compose.yml: the service connects as its own role; the owner creates it, migrates and grants.
    loa = await startTestApp({ DATABASE_MIGRATION_URL: ownerUrl, DATABASE_URL: serviceUrl, MIGRATIONS_RUN: 'true', AIRTIME_CHECKPOINT_INTERVAL_MINUTES: '0' });
    service = new Client({ connectionString: serviceUrl });
    await service.connect();
  });

  afterAll(async () => {
    await service?.end();
    await loa?.close();
    const owner = new DataSource({ type: 'postgres', url: ownerUrl });
    await owner.initialize();
    // DROP OWNED needs membership in the role; a test role that is no superuser (scripts/local-credentials.sh) takes it.
    await owner.query(`GRANT "${role}" TO CURRENT_USER`);
    await owner.query(`DROP OWNED BY "${role}"`);
    await owner.query(`DROP ROLE "${role}"`);
    await owner.destroy();
  });

  it('runs the service as that role, which owns nothing and is no superuser', async () => {
    const [{ user }] = (await loa.dataSource.query('SELECT current_user AS user')) as [{ user: string }];
    expect(user).toBe(role);
    const { rows } = await service.query(
      `SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) AS owned
       FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, owned: 0 });
  });

  it('lets the service append to the broadcast log and serve it', async () => {
    const place = { communeId: loa.places.commune.id, villageId: loa.places.village.id };
    await loa.app.get(AirtimeLedger).append([entryIn(place), entryIn(place)]);
    const { status, body } = await call<{ total: number }>(loa.people.approver, 'GET', '/api/airtime');
    expect(status).toBe(200);
    expect(body.total).toBe(2);
    expect((await call(loa.people.approver, 'POST', '/api/airtime/checkpoints', {})).status).toBe(201);
  });

  it.each([
    ['UPDATE', `UPDATE airtime_records SET on_air_ms = 0`],
    ['DELETE', `DELETE FROM airtime_records`],
    ['TRUNCATE', `TRUNCATE airtime_records`],
    ['UPDATE of a checkpoint', `UPDATE airtime_checkpoints SET length = 0`],
    ['DELETE of a checkpoint', `DELETE FROM airtime_checkpoints`],
    ['TRUNCATE of checkpoints', `TRUNCATE airtime_checkpoints`],
    ['disabling the triggers', `ALTER TABLE airtime_records DISABLE TRIGGER USER`],
    ['replica mode (which skips triggers)', `SET session_replication_role = replica`],
  ])('refuses %s as the service role', async (_what, sql) => {
    await expect(service.query(sql)).rejects.toMatchObject({ code: '42501' });
  });

  it('still lets the service change what is meant to change (playbacks, speakers)', async () => {
    await expect(service.query(`UPDATE playbacks SET attempts = attempts WHERE false`)).resolves.toBeDefined();
  });
});
