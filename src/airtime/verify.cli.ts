import 'reflect-metadata';
import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { loadLocalEnvironment } from '../config/local-environment';
import { dataSourceOptions } from '../database/data-source-options';
import { CheckpointExport } from './airtime-checkpoints';
import { CheckpointToCheck, ChainVerifier } from './chain-verifier';

const USAGE = `npm run airtime:verify -- [--commune <id>]... [--checkpoints <export.json>] [--public-key <key.pem>]
  Recomputes the airtime chains in DATABASE_URL and checks them against every signed checkpoint.
  --commune       only these communes (default: all, or those of --checkpoints)
  --checkpoints   also check against every checkpoint of a file from GET /api/airtime/checkpoints kept
                  outside the database (it still holds checkpoints someone deleted from the database)
  --public-key    the Ed25519 public key (PEM) to trust; default: the public half of AIRTIME_SIGNING_KEY
  Records no checkpoint covers for longer than AIRTIME_CHECKPOINT_INTERVAL_MINUTES (and a minute) fail too.
  Prints the report as JSON; exits 0 when every chain is intact, 1 when one is broken, 2 on error.`;

/** Every checkpoint of an exported file, per commune, oldest first; the file's own public key is not trusted. */
function checkpointsFrom(file: string): Map<string, CheckpointToCheck[]> {
  const exported = JSON.parse(readFileSync(file, 'utf8')) as CheckpointExport;
  if (!Array.isArray(exported.checkpoints)) throw new Error(`${file} is not an export of GET /api/airtime/checkpoints`);
  const byCommune = new Map<string, CheckpointToCheck[]>();
  for (const checkpoint of exported.checkpoints) {
    byCommune.set(checkpoint.communeId, [...(byCommune.get(checkpoint.communeId) ?? []), { ...checkpoint, length: Number(checkpoint.length) }]);
  }
  return byCommune;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      commune: { type: 'string', multiple: true },
      checkpoints: { type: 'string' },
      'public-key': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // A verifier reads only: it needs neither the login secret nor, with --public-key, the private key.
  loadLocalEnvironment();
  const config = AppConfig.fromEnvironment(process.env, values['public-key'] ? [] : ['AIRTIME_SIGNING_KEY']);
  const publicKey: KeyObject = values['public-key'] ? createPublicKey(readFileSync(values['public-key'], 'utf8')) : config.airtime.signingKey.publicKey;
  const checkpoints = values.checkpoints ? checkpointsFrom(values.checkpoints) : undefined;
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  try {
    const communes = values.commune ?? (checkpoints ? [...checkpoints.keys()] : null);
    const report = await new ChainVerifier(dataSource, publicKey, config.airtime.checkpointIntervalMinutes).verify(communes, checkpoints);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    for (const commune of report.communes.filter((result) => !result.ok)) {
      process.stderr.write(`commune ${commune.communeId}: ${commune.problem}\n`);
    }
    process.stderr.write(report.ok ? `All ${report.communes.length} chains are intact.\n` : 'The broadcast log was altered (see above).\n');
    return report.ok ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`airtime:verify failed: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  },
);
