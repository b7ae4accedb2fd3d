import { createPublicKey, verify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AirtimeLedger } from '../../src/airtime/airtime-ledger';
import { call } from '../support/api';
import { createSession } from '../support/people';
import { Role } from '../../src/auth/role';
import { startTestApp, TestApp } from '../support/test-app';
import { asSuperuserWithoutTriggers, entryIn, freshCommune, verifyCli } from './airtime-fixtures';

type Body = Record<string, any>;

describe('Airtime checkpoints and verification', () => {
  let loa: TestApp;
  let dir: string;

  beforeAll(async () => {
    loa = await startTestApp({ AIRTIME_CHECKPOINT_INTERVAL_MINUTES: '0' });
    dir = await mkdtemp(join(tmpdir(), 'loa-checkpoints-'));
  });

  afterAll(async () => {
    await loa?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A commune of its own with `records` records, and its approver. */
  async function communeWith(records: number) {
    const place = await freshCommune(loa.dataSource);
    await loa.app.get(AirtimeLedger).append(Array.from({ length: records }, (_, n) => entryIn(place, { evidence: { n } })));
    const approver = await createSession(loa.app, loa.url, Role.Approver, { communeIds: [place.communeId] });
    return { ...place, approver };
  }

  it('signs checkpoints on demand and exports them with the public key, checkable without Loa', async () => {
    const { communeId, approver } = await communeWith(3);
    const written = await call<Body[]>(approver, 'POST', '/api/airtime/checkpoints', {});
    expect(written.status).toBe(201);
    expect(written.body).toEqual([expect.objectContaining({ communeId, length: 3, headHash: expect.stringMatching(/^[0-9a-f]{64}$/) })]);

    const exported = await call<Body>(approver, 'GET', `/api/airtime/checkpoints?communeId=${communeId}`);
    expect(exported.body).toMatchObject({ format: 'loa-airtime-checkpoints/1', algorithm: 'Ed25519', keyId: loa.config.airtime.signingKey.keyId });
    const [checkpoint] = exported.body.checkpoints as Body[];
    // The documented statement, rebuilt here by hand: canonical JSON with sorted keys.
    const statement = `{"communeId":"${communeId}","headHash":"${checkpoint.headHash}","kind":"loa-airtime-checkpoint","length":3,"signedAt":"${checkpoint.signedAt}"}`;
    expect(verify(null, Buffer.from(statement), createPublicKey(exported.body.publicKey), Buffer.from(checkpoint.signature, 'base64'))).toBe(true);

    const other = await call<Body>(loa.people.otherApprover, 'GET', `/api/airtime/checkpoints?communeId=${communeId}`);
    expect(other.status).toBe(404);
  });

  it('exports more checkpoints than one file holds in files that follow each other with next, none lost or repeated', async () => {
    const { communeId, approver } = await communeWith(2);
    await call(approver, 'POST', '/api/airtime/checkpoints', {});
    // 10,000 more copies of the real, validly signed checkpoint: one more than an export holds.
    await loa.dataSource.query(
      `INSERT INTO airtime_checkpoints (commune_id, length, head_hash, signed_at, key_id, signature)
       SELECT commune_id, length, head_hash, signed_at, key_id, signature FROM airtime_checkpoints, generate_series(1, 10000) WHERE commune_id = $1`,
      [communeId],
    );
    const first = await call<Body>(approver, 'GET', `/api/airtime/checkpoints?communeId=${communeId}`);
    const firstIds = (first.body.checkpoints as Body[]).map((checkpoint) => checkpoint.id as string);
    expect({ count: firstIds.length, next: first.body.next }).toEqual({ count: 10_000, next: firstIds[firstIds.length - 1] });
    const second = await call<Body>(approver, 'GET', `/api/airtime/checkpoints?communeId=${communeId}&after=${first.body.next}`);
    const secondIds = (second.body.checkpoints as Body[]).map((checkpoint) => checkpoint.id as string);
    expect({ count: secondIds.length, next: second.body.next }).toEqual({ count: 1, next: null });
    expect(new Set([...firstIds, ...secondIds]).size).toBe(10_001);
    expect((await call<Body>(approver, 'GET', `/api/airtime/checkpoints?after=0x10`)).body.message).toMatch(/after must be a previous export's next/);
  });

  it('verifies a commune through the API: intact, records after the checkpoint counted, then the first broken record named', async () => {
    const place = await communeWith(4);
    await call(place.approver, 'POST', '/api/airtime/checkpoints', {});
    await loa.app.get(AirtimeLedger).append([entryIn(place), entryIn(place)]);
    const intact = await call<Body>(place.approver, 'GET', '/api/airtime/verify');
    expect(intact.body).toMatchObject({
      ok: true,
      communes: [{ communeId: place.communeId, ok: true, length: 6, unsignedRecords: 2, checkpoint: { status: 'valid', length: 4 } }],
    });

    await asSuperuserWithoutTriggers(loa.dataSource, (db) =>
      db.query(`UPDATE airtime_records SET on_air_ms = 1000 WHERE commune_id = $1 AND seq = 2`, [place.communeId]),
    );
    const broken = await call<Body>(place.approver, 'GET', '/api/airtime/verify');
    expect(broken.status).toBe(200);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.communes[0].firstBroken).toMatchObject({
      communeId: place.communeId,
      seq: 2,
      reason: 'record 2 was altered (its content no longer gives its hash)',
    });
  });

  it('npm run airtime:verify exits 0 on an intact chain and 1 naming the first broken record', async () => {
    const intact = await communeWith(2);
    const ok = await verifyCli(['--commune', intact.communeId]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, communes: [{ communeId: intact.communeId, length: 2 }] });

    const tampered = await communeWith(3);
    await asSuperuserWithoutTriggers(loa.dataSource, (db) =>
      db.query(`UPDATE airtime_records SET event = 'failed' WHERE commune_id = $1 AND seq = 1`, [tampered.communeId]),
    );
    const bad = await verifyCli(['--commune', tampered.communeId]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`commune ${tampered.communeId}: record 1 was altered`);
  });

  it('catches, against an exported checkpoint file, a deletion whose checkpoints were deleted from the database too', async () => {
    const place = await communeWith(5);
    await call(place.approver, 'POST', '/api/airtime/checkpoints', {});
    const file = join(dir, 'kept-at-the-city.json');
    await writeFile(file, JSON.stringify((await call<Body>(place.approver, 'GET', '/api/airtime/checkpoints')).body));
    await asSuperuserWithoutTriggers(loa.dataSource, async (db) => {
      await db.query(`DELETE FROM airtime_records WHERE commune_id = $1 AND seq = 5`, [place.communeId]);
      await db.query(`DELETE FROM airtime_checkpoints WHERE commune_id = $1`, [place.communeId]);
    });
    // The database alone no longer knows.
    expect((await call<Body>(place.approver, 'GET', '/api/airtime/verify')).body.ok).toBe(true);
    const result = await verifyCli(['--checkpoints', file]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).communes[0].firstBroken).toMatchObject({ seq: 5, reason: expect.stringMatching(/record 5 is missing/) });
  });
});
