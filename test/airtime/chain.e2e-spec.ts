import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AirtimeCheckpoint } from '../../src/airtime/airtime-checkpoint.entity';
import { AirtimeCheckpoints } from '../../src/airtime/airtime-checkpoints';
import { AirtimeLedger } from '../../src/airtime/airtime-ledger';
import { ChainVerifier } from '../../src/airtime/chain-verifier';
import { signCheckpoint } from '../../src/airtime/checkpoint-signature';
import { GroupCommitAirtimeLedger } from '../../src/airtime/group-commit-ledger';
import { signingKeyFromSeed } from '../../src/airtime/signing-key';
import { appendInTransaction } from '../../src/airtime/transactional-append';
import { startTestApp, TestApp } from '../support/test-app';
import { asSuperuserWithoutTriggers, entryIn, freshCommune, rehashChain } from './airtime-fixtures';

describe('The airtime hash chain', () => {
  let loa: TestApp;
  let db: DataSource;
  let ledger: AirtimeLedger;
  let verifier: ChainVerifier;

  beforeAll(async () => {
    loa = await startTestApp({ AIRTIME_CHECKPOINT_INTERVAL_MINUTES: '0' });
    db = loa.dataSource;
    ledger = loa.app.get(AirtimeLedger);
    verifier = new ChainVerifier(db, loa.config.airtime.signingKey.publicKey);
  });

  afterAll(async () => {
    await loa?.close();
  });

  /** A commune with five records and a checkpoint signed over all five. */
  async function signedChainOfFive() {
    const place = await freshCommune(db);
    await ledger.append(Array.from({ length: 5 }, (_, index) => entryIn(place, { evidence: { index } })));
    const checkpoints = loa.app.get(AirtimeCheckpoints);
    await checkpoints.sign((await checkpoints.prepare([place.communeId], false)).heads);
    const before = await verifier.verify([place.communeId]);
    expect(before.ok).toBe(true);
    return place;
  }

  const firstBroken = async (communeId: string) => {
    const report = await verifier.verify([communeId]);
    expect(report.ok).toBe(false);
    return report.communes[0].firstBroken;
  };

  it('stays one gap-free, valid chain with 8 concurrent writers appending 10,000 records', async () => {
    const place = await freshCommune(db);
    // Eight ledgers, as eight processes would have: they contend on the database's chain lock, not on one queue.
    const writers = Array.from({ length: 8 }, () => new GroupCommitAirtimeLedger(db));
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let sent = 0; sent < 1250;) {
          const size = Math.min(1 + ((sent * 7 + w) % 40), 1250 - sent);
          await writer.append(Array.from({ length: size }, (_, i) => entryIn(place, { evidence: { writer: w, n: sent + i } })));
          sent += size;
        }
      }),
    );
    const report = await verifier.verify([place.communeId]);
    expect(report.communes[0]).toMatchObject({ ok: true, length: 10_000, firstBroken: null });
    const [head] = await ledger.heads([place.communeId]);
    expect(head).toEqual({ communeId: place.communeId, length: 10_000, headHash: report.communes[0].headHash });
    // Each writer's records kept their order in the chain.
    const rows = (await db.query(`SELECT (evidence->>'writer')::int AS writer, (evidence->>'n')::int AS n FROM airtime_records WHERE commune_id = $1 ORDER BY seq`, [
      place.communeId,
    ])) as Array<{ writer: number; n: number }>;
    for (let w = 0; w < 8; w += 1) {
      const mine = rows.filter((row) => row.writer === w).map((row) => row.n);
      expect(mine).toEqual(Array.from({ length: 1250 }, (_, n) => n));
    }
  });

  it("keeps one chain when another writer appended behind the ledger's back (its remembered head is stale)", async () => {
    const place = await freshCommune(db);
    await ledger.append([entryIn(place, { evidence: { n: 1 } })]);
    await db.transaction((tx) => appendInTransaction(tx, [entryIn(place, { evidence: { n: 2 } })]));
    await new GroupCommitAirtimeLedger(db).append([entryIn(place, { evidence: { n: 3 } })]);
    await ledger.append([entryIn(place, { evidence: { n: 4 } })]);
    const report = await verifier.verify([place.communeId]);
    expect(report.communes[0]).toMatchObject({ ok: true, length: 4 });
    const order = await db.query(`SELECT (evidence->>'n')::int AS n FROM airtime_records WHERE commune_id = $1 ORDER BY seq`, [place.communeId]);
    expect(order.map((row: { n: number }) => row.n)).toEqual([1, 2, 3, 4]);
  });

  it('fails only the append that carries an invalid entry, never the others sharing its flush', async () => {
    const place = await freshCommune(db);
    const results = await Promise.allSettled([
      ledger.append([entryIn(place)]),
      ledger.append([entryIn(place), entryIn(place, { playbackId: 'not-a-uuid' })]),
      ledger.append([entryIn(place)]),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/playbackId must be a UUID/);
    expect(await ledger.heads([place.communeId])).toEqual([expect.objectContaining({ length: 2 })]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE even from the superuser while the triggers are on', async () => {
    const place = await signedChainOfFive();
    await expect(db.query(`UPDATE airtime_records SET on_air_ms = 1 WHERE commune_id = $1`, [place.communeId])).rejects.toThrow(/append-only: UPDATE/);
    await expect(db.query(`DELETE FROM airtime_records WHERE commune_id = $1`, [place.communeId])).rejects.toThrow(/append-only: DELETE/);
    await expect(db.query(`TRUNCATE airtime_records`)).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(db.query(`DELETE FROM airtime_checkpoints WHERE commune_id = $1`, [place.communeId])).rejects.toThrow(/append-only: DELETE/);
  });

  it('detects an edited record and names it', async () => {
    const place = await signedChainOfFive();
    await asSuperuserWithoutTriggers(db, (tx) =>
      tx.query(`UPDATE airtime_records SET evidence = '{"index": 99}' WHERE commune_id = $1 AND seq = 3`, [place.communeId]),
    );
    expect(await firstBroken(place.communeId)).toMatchObject({ seq: 3, reason: expect.stringMatching(/altered/) });
  });

  it('detects the deletion of the last record against the signed checkpoint', async () => {
    const place = await signedChainOfFive();
    await asSuperuserWithoutTriggers(db, (tx) => tx.query(`DELETE FROM airtime_records WHERE commune_id = $1 AND seq = 5`, [place.communeId]));
    expect(await firstBroken(place.communeId)).toMatchObject({ seq: 5, reason: expect.stringMatching(/record 5 is missing.*counts 5 records/), record: null });
  });

  it('detects a forged record slipped into the middle and names it', async () => {
    const place = await signedChainOfFive();
    await asSuperuserWithoutTriggers(db, async (tx) => {
      // Make room at 3, then insert a copy of record 3 that claims another speaker played.
      for (const seq of [5, 4, 3]) await tx.query(`UPDATE airtime_records SET seq = seq + 1 WHERE commune_id = $1 AND seq = $2`, [place.communeId, seq]);
      await tx.query(
        `INSERT INTO airtime_records SELECT commune_id, 3, recorded_at, event, evidence_level, occurred_at, village_id, gen_random_uuid(), playback_id,
           audio_sha256, scheduled_at, actual_at, on_air_ms, evidence, prev_hash, hash FROM airtime_records WHERE commune_id = $1 AND seq = 4`,
        [place.communeId],
      );
    });
    expect(await firstBroken(place.communeId)).toMatchObject({ seq: 3, reason: expect.stringMatching(/altered/) });
  });

  it('detects two records swapped and names the first', async () => {
    const place = await signedChainOfFive();
    await asSuperuserWithoutTriggers(db, async (tx) => {
      await tx.query(`UPDATE airtime_records SET seq = 1000 WHERE commune_id = $1 AND seq = 2`, [place.communeId]);
      await tx.query(`UPDATE airtime_records SET seq = 2 WHERE commune_id = $1 AND seq = 3`, [place.communeId]);
      await tx.query(`UPDATE airtime_records SET seq = 3 WHERE commune_id = $1 AND seq = 1000`, [place.communeId]);
    });
    expect(await firstBroken(place.communeId)).toMatchObject({ seq: 2, reason: expect.stringMatching(/does not link/) });
  });

  it('detects a chain rewritten with correct hashes, against the signed checkpoint', async () => {
    const place = await signedChainOfFive();
    await asSuperuserWithoutTriggers(db, async (tx) => {
      await tx.query(`UPDATE airtime_records SET on_air_ms = 1 WHERE commune_id = $1 AND seq = 2`, [place.communeId]);
      await rehashChain(tx, place.communeId, 2);
    });
    expect(await firstBroken(place.communeId)).toMatchObject({ seq: 5, reason: expect.stringMatching(/rewritten/) });
  });

  it('rejects a checkpoint signed with another key, and one whose content was changed after signing', async () => {
    const place = await signedChainOfFive();
    const [head] = await ledger.heads([place.communeId]);
    const intruder = signingKeyFromSeed(randomBytes(32));
    const signedAt = new Date().toISOString();
    const claim = { communeId: place.communeId, length: head.length, headHash: head.headHash, signedAt };
    const checkpoints = db.getRepository(AirtimeCheckpoint);
    await checkpoints.save({
      ...claim,
      length: String(claim.length),
      signedAt: new Date(signedAt),
      keyId: intruder.keyId,
      signature: signCheckpoint(intruder, claim),
    });
    let report = await verifier.verify([place.communeId]);
    expect(report.ok).toBe(false);
    expect(report.communes[0].checkpoint).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/another|not by this service's key/) });

    // The right key id, but a length the key never signed.
    const ours = loa.config.airtime.signingKey;
    await checkpoints.save({ ...claim, length: '4', signedAt: new Date(signedAt), keyId: ours.keyId, signature: signCheckpoint(ours, claim) });
    report = await verifier.verify([place.communeId]);
    expect(report.communes[0].checkpoint).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/signature does not match/) });
  });
});
