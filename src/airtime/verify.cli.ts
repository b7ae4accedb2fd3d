import 'reflect-metadata';
import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { CheckpointExport } from './airtime-checkpoints';
import { CheckpointToCheck, ChainVerifier } from './chain-verifier';

const USAGE = `npm run airtime:verify -- [--commune <id>]... [--checkpoints <export.json>] [--public-key <key.pem>]
  Recomputes the airtime chains in DATABASE_URL and checks them against the latest signed checkpoints.
  --commune       only these communes (default: all)
  --checkpoints   check against a file from GET /api/airtime/checkpoints kept outside the database
                  (its latest checkpoint per commune) instead of the checkpoints stored in the database
  --public-key    the Ed25519 public key (PEM) to trust; default: the public half of AIRTIME_SIGNING_KEY
  Prints the report as JSON; exits 0 when every chain is intact, 1 when one is broken, 2 on error.`;

/** The latest checkpoint per commune in an exported file; the file's own public key is not trusted. */
function checkpointsFrom(file: string): Map<string, CheckpointToCheck> {
  const exported = JSON.parse(readFileSync(file, 'utf8')) as CheckpointExport;
  if (!Array.isArray(exported.checkpoints)) throw new Error(`${file} is not an export of GET /api/airtime/checkpoints`);
  const latest = new Map<string, CheckpointToCheck>();
  for (const checkpoint of exported.checkpoints) {
    const known = latest.get(checkpoint.communeId);
    if (!known || Number(checkpoint.length) >= known.length) latest.set(checkpoint.communeId, { ...checkpoint, length: Number(checkpoint.length) });
  }
  return latest;
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
  const config = AppConfig.fromEnvironment(process.env, values['public-key'] ? [] : ['AIRTIME_SIGNING_KEY']);
  const publicKey: KeyObject = values['public-key'] ? createPublicKey(readFileSync(values['public-key'], 'utf8')) : config.airtime.signingKey.publicKey;
  const checkpoints = values.checkpoints ? checkpointsFrom(values.checkpoints) : undefined;
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  try {
    const communes = values.commune ?? (checkpoints ? [...checkpoints.keys()] : null);
    const report = await new ChainVerifier(dataSource, publicKey).verify(communes, checkpoints);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    for (const commune of report.communes.filter((result) => !result.ok)) {
      const why = commune.firstBroken?.reason ?? (commune.checkpoint.status === 'rejected' ? `checkpoint rejected: ${commune.checkpoint.reason}` : 'broken');
      process.stderr.write(`commune ${commune.communeId}: ${why}\n`);
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
