import { SchedulerRegistry } from '@nestjs/schedule';
import { createPublicKey, verify } from 'node:crypto';
import { AirtimeLedger } from '../../src/airtime/airtime-ledger';
import { AIRTIME_CHECKPOINT_TIMER } from '../../src/airtime/checkpoint-timer';
import { Role } from '../../src/auth/role';
import { entryIn, freshCommune } from '../airtime/airtime-fixtures';
import { call } from '../support/api';
import { createSession } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';
import { until } from '../playbacks/faults-kit';

type Body = Record<string, any>;

/** 0.05 minute: the timer signs every 3 s, so the test sees it work twice without waiting a quarter of an hour. */
const INTERVAL_MINUTES = '0.05';

/**
 * The production path of the broadcast log's checkpoints: no one asks for them, the timer signs them. The timer
 * signs every commune of the shared database; the test looks only at a commune of its own.
 */
describe('Production path: the airtime checkpoint timer', () => {
  let loa: TestApp;

  beforeAll(async () => {
    loa = await startTestApp({ AIRTIME_CHECKPOINT_INTERVAL_MINUTES: INTERVAL_MINUTES });
  });

  afterAll(async () => {
    await loa?.close();
  });

  async function checkpointsOf(approver: Awaited<ReturnType<typeof createSession>>, communeId: string): Promise<Body> {
    const exported = await call<Body>(approver, 'GET', `/api/airtime/checkpoints?communeId=${communeId}`);
    expect(exported.status).toBe(200);
    return exported.body;
  }

  it('signs the head of a chain that grew, on its own and again after it grows, each signature valid', async () => {
    expect(loa.app.get(SchedulerRegistry).getIntervals()).toContain(AIRTIME_CHECKPOINT_TIMER);
    const place = await freshCommune(loa.dataSource);
    const approver = await createSession(loa.app, loa.url, Role.Approver, { communeIds: [place.communeId] });
    const ledger = loa.app.get(AirtimeLedger);

    await ledger.append(Array.from({ length: 3 }, (_, n) => entryIn(place, { evidence: { n } })));
    const first = await until(
      async () => {
        const body = await checkpointsOf(approver, place.communeId);
        return body.checkpoints.length > 0 ? body : null;
      },
      30_000,
      'a checkpoint signed by the timer',
    );
    await ledger.append(Array.from({ length: 2 }, (_, n) => entryIn(place, { evidence: { n: 3 + n } })));
    const second = await until(
      async () => {
        const body = await checkpointsOf(approver, place.communeId);
        return body.checkpoints.some((checkpoint: Body) => checkpoint.length === 5) ? body : null;
      },
      30_000,
      'a checkpoint of the grown chain',
    );

    expect(first.checkpoints).toEqual([expect.objectContaining({ communeId: place.communeId, length: 3 })]);
    // Nothing grew between rounds but those two appends: one checkpoint per growth, none repeated.
    expect(second.checkpoints.map((checkpoint: Body) => checkpoint.length)).toEqual([3, 5]);
    const key = createPublicKey(second.publicKey);
    for (const checkpoint of second.checkpoints as Body[]) {
      const statement = `{"communeId":"${place.communeId}","headHash":"${checkpoint.headHash}","kind":"loa-airtime-checkpoint","length":${checkpoint.length},"signedAt":"${checkpoint.signedAt}"}`;
      expect(verify(null, Buffer.from(statement), key, Buffer.from(checkpoint.signature, 'base64'))).toBe(true);
    }
    const verified = await call<Body>(approver, 'GET', `/api/airtime/verify?communeId=${place.communeId}`);
    expect(verified.body).toMatchObject({
      ok: true,
      communes: [{ communeId: place.communeId, ok: true, length: 5, unsignedRecords: 0, checkpoint: { status: 'valid', length: 5 } }],
    });
  }, 90_000);

  it('is off when the interval is 0, and gone from the registry once the app closes', async () => {
    const off = await startTestApp({ AIRTIME_CHECKPOINT_INTERVAL_MINUTES: '0' });
    try {
      expect(off.app.get(SchedulerRegistry).getIntervals()).not.toContain(AIRTIME_CHECKPOINT_TIMER);
    } finally {
      await off.close();
    }
    const registry = loa.app.get(SchedulerRegistry);
    await loa.close();
    expect(registry.getIntervals()).toEqual([]);
    loa = undefined as unknown as TestApp;
  });
});
