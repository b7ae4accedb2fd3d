import { Logger } from '@nestjs/common';
import { AirtimeCheckpoint } from '../../src/airtime/airtime-checkpoint.entity';
import { AirtimeLedger } from '../../src/airtime/airtime-ledger';
import { AIRTIME_CHECKPOINT_LOCK } from '../../src/airtime/checkpoint-timer';
import { signCheckpoint } from '../../src/airtime/checkpoint-signature';
import { GroupCommitAirtimeLedger } from '../../src/airtime/group-commit-ledger';
import { Role } from '../../src/auth/role';
import { withAdvisoryLock } from '../../src/speakers/health/advisory-lock';
import { until } from '../playbacks/faults-kit';
import { call } from '../support/api';
import { createSession } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';
import { asSuperuserWithoutTriggers, entryIn, freshCommune, rehashChain, verifyCli } from './airtime-fixtures';

type Body = Record<string, any>;

/**
 * An insider with the database owner's password (triggers off with session_replication_role = replica) cuts or
 * rewrites a commune's broadcast log; the next checkpoint must not make the cut look intact.
 */
describe('Airtime checkpoints only move forward', () => {
  /** What loa_airtime_checkpoints_refused_total says at GET /api/metrics. */
  async function refusedCount(loa: TestApp): Promise<number> {
    const scraped = await call<Body>(loa.url, 'GET', '/api/metrics');
    const match = /^loa_airtime_checkpoints_refused_total (\d+)/m.exec(String(scraped.body.raw));
    if (!match) throw new Error('loa_airtime_checkpoints_refused_total is not exposed');
    return Number(match[1]);
  }

  /** A commune of its own with `records` records appended through the service's ledger, and its approver. */
  async function communeWith(loa: TestApp, records: number) {
    const place = await freshCommune(loa.dataSource);
    await loa.app.get(AirtimeLedger).append(Array.from({ length: records }, (_, n) => entryIn(place, { evidence: { n } })));
    const approver = await createSession(loa.app, loa.url, Role.Approver, { communeIds: [place.communeId] });
    return { ...place, approver };
  }

  const lengthsSigned = async (loa: TestApp, communeId: string) =>
    (await loa.dataSource.query(`SELECT length::int AS length FROM airtime_checkpoints WHERE commune_id = $1 ORDER BY id`, [communeId])).map(
      (row: { length: number }) => row.length,
    );

  describe('on demand (POST /api/airtime/checkpoints), with a 60-minute interval', () => {
    const INTERVAL = { AIRTIME_CHECKPOINT_INTERVAL_MINUTES: '60' };
    let loa: TestApp;

    beforeAll(async () => {
      loa = await startTestApp(INTERVAL);
    });

    afterAll(async () => {
      await loa?.close();
    });

    it('refuses to sign a chain whose last two records were deleted (409, an error logged, the alarm counted), and verify keeps failing', async () => {
      const place = await communeWith(loa, 5);
      expect((await call<Body[]>(place.approver, 'POST', '/api/airtime/checkpoints', {})).body).toEqual([expect.objectContaining({ length: 5 })]);
      await asSuperuserWithoutTriggers(loa.dataSource, (db) => db.query(`DELETE FROM airtime_records WHERE commune_id = $1 AND seq IN (4, 5)`, [place.communeId]));
      const errors = jest.spyOn(Logger.prototype, 'error');
      const refusedBefore = await refusedCount(loa);

      for (const body of [{ communeId: place.communeId }, {}]) {
        const refused = await call<Body>(place.approver, 'POST', '/api/airtime/checkpoints', body);
        expect(refused.status).toBe(409);
        expect(refused.body.message).toMatch(/^Nothing was signed: a checkpoint may only extend the last one/);
        expect(refused.body.message).toContain(`commune ${place.communeId}: the chain holds 3 records, but the checkpoint signed at`);
        expect(refused.body.message).toMatch(/counts 5: records were deleted/);
      }
      expect(await refusedCount(loa)).toBe(refusedBefore + 2);
      expect(errors.mock.calls.filter((args) => String(args[1]).includes(`commune ${place.communeId}: the chain holds 3 records`))).toHaveLength(2);
      errors.mockRestore();
      expect(await lengthsSigned(loa, place.communeId)).toEqual([5]);

      const verified = await call<Body>(place.approver, 'GET', `/api/airtime/verify?communeId=${place.communeId}`);
      expect(verified.body.ok).toBe(false);
      expect(verified.body.communes[0]).toMatchObject({
        ok: false,
        length: 3,
        firstBroken: { seq: 4, reason: expect.stringMatching(/record 4 is missing: the checkpoint signed at .* counts 5 records, the chain holds 3/) },
        problem: expect.stringMatching(/record 4 is missing/),
      });
      const cli = await verifyCli(['--commune', place.communeId], INTERVAL);
      expect(cli.code).toBe(1);
      expect(JSON.parse(cli.stdout).communes[0].problem).toBe(verified.body.communes[0].problem);

      // Two forged records in place of the deleted ones make the length right again, not the head.
      await new GroupCommitAirtimeLedger(loa.dataSource).append([entryIn(place, { evidence: { forged: 4 } }), entryIn(place, { evidence: { forged: 5 } })]);
      const forged = await call<Body>(place.approver, 'POST', '/api/airtime/checkpoints', { communeId: place.communeId });
      expect(forged.status).toBe(409);
      expect(forged.body.message).toMatch(/record 5 is not the head signed at .*: the chain was rewritten/);
      expect(await lengthsSigned(loa, place.communeId)).toEqual([5]);
      expect((await call<Body>(place.approver, 'GET', `/api/airtime/verify?communeId=${place.communeId}`)).body.communes[0]).toMatchObject({
        ok: false,
        firstBroken: { seq: 5, reason: expect.stringMatching(/the chain was rewritten: record 5 is not the head signed at/) },
      });
    });

    it('catches a record rewritten inside an older checkpoint, even under a later checkpoint that states the rewritten head', async () => {
      const place = await communeWith(loa, 3);
      await call(place.approver, 'POST', '/api/airtime/checkpoints', {});
      await loa.app.get(AirtimeLedger).append([entryIn(place), entryIn(place)]);
      await call(place.approver, 'POST', '/api/airtime/checkpoints', {});
      const [older] = await loa.dataSource.getRepository(AirtimeCheckpoint).find({ where: { communeId: place.communeId, length: '3' }, order: { id: 'ASC' } });

      await asSuperuserWithoutTriggers(loa.dataSource, async (db) => {
        await db.query(`UPDATE airtime_records SET on_air_ms = 1000 WHERE commune_id = $1 AND seq = 2`, [place.communeId]);
        await rehashChain(db, place.communeId, 2);
        await db.query(`DELETE FROM airtime_checkpoints WHERE commune_id = $1 AND length = 5`, [place.communeId]);
      });
      // A checkpoint over the rewritten head with the real key: what the signer gave before it checked continuity.
      const [head] = await loa.app.get(AirtimeLedger).heads([place.communeId]);
      const claim = { communeId: place.communeId, length: 5, headHash: head.headHash, signedAt: new Date().toISOString() };
      const key = loa.config.airtime.signingKey;
      await loa.dataSource
        .getRepository(AirtimeCheckpoint)
        .save({ ...claim, length: '5', signedAt: new Date(claim.signedAt), keyId: key.keyId, signature: signCheckpoint(key, claim) });

      const verified = await call<Body>(place.approver, 'GET', `/api/airtime/verify?communeId=${place.communeId}`);
      expect(verified.body.communes[0]).toMatchObject({
        ok: false,
        // The latest checkpoint agrees with the chain; only the older one still knows record 3's real hash.
        checkpoint: { status: 'valid', length: 5, headHash: head.headHash },
        checkpoints: { checked: expect.any(Number), rejected: 0 },
        firstBroken: { seq: 3, reason: `the chain was rewritten: record 3 is not the head signed at ${older.signedAt.toISOString()}` },
      });
      const cli = await verifyCli(['--commune', place.communeId], INTERVAL);
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain(`commune ${place.communeId}: the chain was rewritten: record 3 is not the head signed at`);
    });

    it('rejects an older checkpoint changed in the database, though the latest one is intact', async () => {
      const place = await communeWith(loa, 2);
      await call(place.approver, 'POST', '/api/airtime/checkpoints', {});
      await loa.app.get(AirtimeLedger).append([entryIn(place)]);
      await call(place.approver, 'POST', '/api/airtime/checkpoints', {});
      await asSuperuserWithoutTriggers(loa.dataSource, (db) =>
        db.query(`UPDATE airtime_checkpoints SET length = 1 WHERE commune_id = $1 AND length = 2`, [place.communeId]),
      );
      const verified = await call<Body>(place.approver, 'GET', `/api/airtime/verify?communeId=${place.communeId}`);
      expect(verified.body.communes[0]).toMatchObject({
        ok: false,
        checkpoint: { status: 'valid', length: 3 },
        firstBroken: null,
        problem: expect.stringMatching(/^the checkpoint signed at .* was rejected: its signature does not match its content$/),
      });
      expect(verified.body.communes[0].checkpoints.rejected).toBeGreaterThanOrEqual(1);
      const cli = await verifyCli(['--commune', place.communeId], INTERVAL);
      expect(cli.code).toBe(1);
      expect(JSON.parse(cli.stdout).communes[0].problem).toBe(verified.body.communes[0].problem);
    });

    it('refuses to sign over a last checkpoint that was changed in the database', async () => {
      const place = await communeWith(loa, 2);
      expect((await call(place.approver, 'POST', '/api/airtime/checkpoints', {})).status).toBe(201);
      await loa.app.get(AirtimeLedger).append([entryIn(place)]);
      await asSuperuserWithoutTriggers(loa.dataSource, (db) =>
        db.query(
          `UPDATE airtime_checkpoints SET length = 1, head_hash = (SELECT hash FROM airtime_records WHERE commune_id = $1 AND seq = 1) WHERE commune_id = $1`,
          [place.communeId],
        ),
      );
      const refused = await call<Body>(place.approver, 'POST', '/api/airtime/checkpoints', { communeId: place.communeId });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toMatch(/its last checkpoint \(signed at .*\) no longer matches its signature: it was changed/);
      expect(await lengthsSigned(loa, place.communeId)).not.toContain(3);
      expect((await call<Body>(place.approver, 'GET', `/api/airtime/verify?communeId=${place.communeId}`)).body.communes[0]).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/was rejected: its signature does not match its content$/),
      });
    });

    it('says records that no checkpoint covered for longer than the interval are not ok, and why; signing them makes the chain ok', async () => {
      // Holding the checkpoint lock keeps any checkpoint timer of the shared database (another test file's) from
      // signing this chain while it is looked at.
      const held = await until(
        async () => {
          const run = await withAdvisoryLock(loa.dataSource, AIRTIME_CHECKPOINT_LOCK, async () => {
            const fresh = await communeWith(loa, 2);
            const old = await communeWith(loa, 3);
            await asSuperuserWithoutTriggers(loa.dataSource, async (db) => {
              await db.query(`UPDATE airtime_records SET recorded_at = recorded_at - interval '2 hours' WHERE commune_id = $1`, [old.communeId]);
              await rehashChain(db, old.communeId);
            });
            const api = await call<Body>(old.approver, 'GET', `/api/airtime/verify?communeId=${old.communeId}`);
            const cli = await verifyCli(['--commune', old.communeId], INTERVAL);
            const recent = await call<Body>(fresh.approver, 'GET', `/api/airtime/verify?communeId=${fresh.communeId}`);
            return { old, api: api.body, cli, recent: recent.body };
          });
          return run.acquired ? run.value : null;
        },
        30_000,
        'the checkpoint lock',
      );

      expect(held.api).toMatchObject({
        ok: false,
        communes: [{ ok: false, length: 3, checkpoint: { status: 'none' }, unsignedRecords: 3, unsignedSince: expect.any(String), firstBroken: null }],
      });
      expect(held.api.communes[0].problem).toMatch(
        /^3 records since .* are unsigned \(no checkpoint covers any of them\), longer than the checkpoint interval allows: signing stopped, or was refused$/,
      );
      expect(held.cli.code).toBe(1);
      expect(JSON.parse(held.cli.stdout).communes[0].problem).toBe(held.api.communes[0].problem);
      // Two records written a moment ago, not signed yet: within the interval, that is normal.
      expect(held.recent).toMatchObject({ ok: true, communes: [{ ok: true, checkpoint: { status: 'none' }, unsignedRecords: 2, problem: null }] });

      expect((await call(held.old.approver, 'POST', '/api/airtime/checkpoints', {})).status).toBe(201);
      expect((await call<Body>(held.old.approver, 'GET', `/api/airtime/verify?communeId=${held.old.communeId}`)).body).toMatchObject({
        ok: true,
        communes: [{ ok: true, unsignedRecords: 0, unsignedSince: null, problem: null }],
      });
    });

    it('keeps a normal chain ok: signed, grown, signed again, each checkpoint extending the last', async () => {
      const place = await communeWith(loa, 2);
      expect((await call(place.approver, 'POST', '/api/airtime/checkpoints', {})).status).toBe(201);
      await loa.app.get(AirtimeLedger).append([entryIn(place), entryIn(place), entryIn(place)]);
      const second = await call<Body[]>(place.approver, 'POST', '/api/airtime/checkpoints', { communeId: place.communeId });
      expect(second.status).toBe(201);
      expect(second.body).toEqual([expect.objectContaining({ communeId: place.communeId, length: 5 })]);
      expect((await call(place.approver, 'POST', '/api/airtime/checkpoints', {})).status).toBe(201);

      const verified = await call<Body>(place.approver, 'GET', `/api/airtime/verify?communeId=${place.communeId}`);
      expect(verified.body).toMatchObject({
        ok: true,
        communes: [{ ok: true, length: 5, unsignedRecords: 0, checkpoint: { status: 'valid', length: 5 }, firstBroken: null, problem: null }],
      });
      expect(verified.body.communes[0].checkpoints).toMatchObject({ checked: (await lengthsSigned(loa, place.communeId)).length, rejected: 0 });
      const cli = await verifyCli(['--commune', place.communeId], INTERVAL);
      expect(cli.code).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, communes: [{ communeId: place.communeId, ok: true, length: 5 }] });
    });
  });

  describe('the checkpoint timer (every 3 s)', () => {
    let loa: TestApp;

    beforeAll(async () => {
      loa = await startTestApp({ AIRTIME_CHECKPOINT_INTERVAL_MINUTES: '0.05' });
    });

    afterAll(async () => {
      await loa?.close();
    });

    it('signs nothing after the last two records were deleted, and logs and counts the alarm every round', async () => {
      const place = await communeWith(loa, 5);
      await until(async () => ((await lengthsSigned(loa, place.communeId)).includes(5) ? true : null), 30_000, 'the timer signing the chain of 5');
      const errors = jest.spyOn(Logger.prototype, 'error');
      const refusedBefore = await refusedCount(loa);

      await asSuperuserWithoutTriggers(loa.dataSource, (db) => db.query(`DELETE FROM airtime_records WHERE commune_id = $1 AND seq IN (4, 5)`, [place.communeId]));
      const refusalsOf = () => errors.mock.calls.filter((args) => String(args[1]).includes(`commune ${place.communeId}: the chain holds 3 records`));
      const refusals = await until(async () => (refusalsOf().length >= 2 ? refusalsOf() : null), 30_000, 'two timer rounds refusing the cut chain');
      errors.mockRestore();

      expect(refusals[0][1]).toMatch(/^Airtime checkpoint refused, the broadcast log was altered: .* counts 5: records were deleted$/);
      expect(await refusedCount(loa)).toBeGreaterThanOrEqual(refusedBefore + 2);
      expect(new Set(await lengthsSigned(loa, place.communeId))).toEqual(new Set([5]));
      const verified = await call<Body>(place.approver, 'GET', `/api/airtime/verify?communeId=${place.communeId}`);
      expect(verified.body.communes[0]).toMatchObject({ ok: false, length: 3, firstBroken: { seq: 4, reason: expect.stringMatching(/record 4 is missing/) } });
    }, 90_000);
  });
});
