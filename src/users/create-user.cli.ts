import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { read } from 'read';
import { parseArgs } from 'node:util';
import { Role, ROLES } from '../auth/role';
import { AppConfig } from '../config/app-config';
import { loadLocalEnvironment } from '../config/local-environment';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { ensureDatabase } from '../database/ensure-database';
import { UsersModule } from './users.module';
import { UsersService } from './users.service';

const USAGE = `Creates an account. The password comes from LOA_PASSWORD, or is asked for (not echoed).

  npm run user:create -- --username <name> --role admin|editor|approver|operator|viewer
                         [--display-name "<name>"] [--commune <id> ...] [--village <id> ...]`;

async function password(): Promise<string> {
  if (process.env.LOA_PASSWORD) return process.env.LOA_PASSWORD;
  if (!process.stdin.isTTY) throw new Error('Set LOA_PASSWORD, or run in a terminal to be asked for the password');
  const first = await read({ prompt: 'Password: ', silent: true, replace: '*' });
  const again = await read({ prompt: 'Password again: ', silent: true, replace: '*' });
  if (first !== again) throw new Error('The two passwords differ');
  return first;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      'display-name': { type: 'string' },
      commune: { type: 'string', multiple: true },
      village: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.username || !values.role) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 64);
  }
  if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  loadLocalEnvironment();
  // Creating an account signs and encrypts nothing: no key is needed.
  const config = AppConfig.fromEnvironment(process.env, []);
  if (config.database.createIfMissing) await ensureDatabase(config.database.url);

  @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule, UsersModule] })
  class CreateUserModule {}

  const app = await NestFactory.createApplicationContext(CreateUserModule, { logger: ['error'] });
  try {
    const user = await app.get(UsersService).create({
      username: values.username,
      role: values.role as Role,
      displayName: values['display-name'] ?? values.username,
      password: await password(),
      communeIds: values.commune ?? [],
      villageIds: values.village ?? [],
    });
    process.stdout.write(`Created ${user.role} "${user.username}" (id ${user.id})\n`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  const response = (error as { getResponse?: () => { message?: unknown } }).getResponse?.();
  process.stderr.write(`Could not create the account: ${String(response?.message ?? (error as Error).message)}\n`);
  process.exit(1);
});
