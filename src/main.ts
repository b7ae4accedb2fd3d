import 'reflect-metadata';
import { AppConfig } from './config/app-config';
import { loadLocalEnvironment } from './config/local-environment';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    loadLocalEnvironment();
    config = AppConfig.fromEnvironment();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const app = await createApp(config);
  if (config.runsApi) {
    await app.listen(config.http.port, config.http.host);
  } else {
    await app.init();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Loa could not start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
