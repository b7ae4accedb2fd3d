import { INestApplication, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChainVerifier } from '../airtime/chain-verifier';
import { Commune } from '../communes/commune.entity';
import { AppConfig } from '../config/app-config';
import { PlaybackRepository } from '../playbacks/playback-repository';
import { DEMO_COMMUNE } from './demo-commune';

/** Once the first broadcast is over: how long after its start the demo checks the commune's broadcast log. */
export const DEMO_PROOF_DELAY_MS = 3 * 60_000;

/**
 * Recomputes the demo commune's airtime chain, as `GET /api/airtime/verify` does, and says what it found: the
 * records the broadcast left, whether the chain is intact, and what the wired cluster still waits for.
 */
export async function describeDemoBroadcastLog(app: INestApplication): Promise<string> {
  const dataSource = app.get(DataSource);
  const commune = await dataSource.getRepository(Commune).findOneByOrFail({ name: DEMO_COMMUNE.name });
  const report = await new ChainVerifier(dataSource, app.get(AppConfig).airtime.signingKey.publicKey).verify([commune.id]);
  const [chain] = report.communes;
  const waiting = await app.get(PlaybackRepository).awaitingConfirmation(commune.id, 'manual');
  const state = chain.ok ? 'the chain is intact' : `BROKEN at record ${chain.firstBroken?.seq}: ${chain.firstBroken?.reason}`;
  const manual = waiting > 0 ? `; ${waiting} wired-cluster playback(s) wait for operator antay: POST /api/playbacks/:id/confirm` : '';
  return `Broadcast log of ${DEMO_COMMUNE.name}: ${chain.length} airtime records, ${state}${manual}`;
}

/** Logs describeDemoBroadcastLog once, `delayMs` from now (the demo's first broadcast is then over). */
export function reportDemoBroadcastLogLater(app: INestApplication, delayMs: number): NodeJS.Timeout {
  const logger = new Logger('DemoProof');
  const timer = setTimeout(() => {
    describeDemoBroadcastLog(app).then(
      (line) => logger.log(line),
      (error: unknown) => logger.warn({ err: error }, 'The demo broadcast log could not be checked'),
    );
  }, delayMs);
  timer.unref();
  return timer;
}
