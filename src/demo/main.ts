import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from '../bootstrap';
import { AppConfig } from '../config/app-config';
import { loadLocalEnvironment } from '../config/local-environment';
import { DEMO_ACCOUNTS } from './demo-commune';
import { DEMO_PROOF_DELAY_MS, reportDemoBroadcastLogLater } from './demo-proof';
import { DEMO_EMERGENCY_AFTER_MS, DEMO_EMERGENCY_VILLAGE, DemoSeeder } from './demo-seeder';

/** Starts the whole system (api and worker in one process) with a demo commune, and says where to open it. */
async function main(): Promise<void> {
  loadLocalEnvironment();
  // The demo's emulated speakers listen on this machine's loopback.
  const config = AppConfig.fromEnvironment({ ROLE: 'all', SPEAKER_ALLOW_LOOPBACK: 'true', ...process.env });
  const app = await createApp(config);
  await app.listen(config.http.port, config.http.host);
  const baseUrl = `http://localhost:${config.http.port}`;
  const seeder = new DemoSeeder(app, baseUrl);
  const emulators = await seeder.seed();
  const broadcast = seeder.broadcast;
  if (broadcast) reportDemoBroadcastLogLater(app, broadcast.startsAt.getTime() - Date.now() + DEMO_PROOF_DELAY_MS);
  const emergencyAt = broadcast && seeder.emergency ? new Date(broadcast.startsAt.getTime() + DEMO_EMERGENCY_AFTER_MS) : null;
  if (emergencyAt) {
    const logger = new Logger('DemoEmergency');
    setTimeout(() => {
      seeder.sendEmergency().then(
        (id) => logger.log({ scheduleId: id }, `Emergency broadcast sent to ${DEMO_EMERGENCY_VILLAGE}: it pre-empts the first broadcast there`),
        (error: unknown) => logger.warn({ err: error }, 'The demo emergency could not be sent'),
      );
    }, emergencyAt.getTime() - Date.now()).unref();
  }
  // The emulated speakers go down with the demo; Nest's own shutdown hooks handle the service.
  process.once('SIGTERM', () => void Promise.all(emulators.map((emulator) => emulator.close())));
  process.once('SIGINT', () => void Promise.all(emulators.map((emulator) => emulator.close())));
  process.stdout.write(
    [
      '',
      '  Loa is running with a demo commune.',
      `  Console:                    ${baseUrl}/`,
      `  API docs:                   ${baseUrl}/api/docs`,
      `  Health:                     ${baseUrl}/api/health`,
      '  Logins (username / password / role):',
      ...DEMO_ACCOUNTS.map((account) => `    ${account.username.padEnd(10)} ${account.password.padEnd(22)} ${account.role} — ${account.displayName}`),
      `  Emulated speakers:          ${emulators.length} Axis speakers on ${emulators.map((emulator) => emulator.port).join(', ')}`,
      broadcast
        ? `  First broadcast:            "${broadcast.title}" on every speaker of the commune at ${broadcast.startsAt.toISOString()} (in ${Math.round((broadcast.startsAt.getTime() - Date.now()) / 1000)} s); see GET /api/playbacks?scheduleId=${broadcast.scheduleId}`
        : '  First broadcast:            none (no approved bulletin yet)',
      emergencyAt
        ? `  Emergency:                  "${seeder.emergency!.title}" pre-empts it in ${DEMO_EMERGENCY_VILLAGE} at ${emergencyAt.toISOString()}, as "Phát khẩn cấp" would`
        : '  Emergency:                  none (needs a second approved bulletin)',
      `  Broadcast log (proof):      GET /api/airtime, GET /api/airtime/verify, npm run airtime:verify; checked here ${DEMO_PROOF_DELAY_MS / 60_000} min after the broadcast`,
      '  Wired cluster of An Tây:    its operator (antay) confirms it was heard: POST /api/playbacks/:id/confirm',
      '  Stop with Ctrl+C.',
      '',
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`The demo could not start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
