import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ChimeAudio } from '../../src/chime/chime-audio';
import { ChimeModule } from '../../src/chime/chime.module';
import { AppConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { DatabaseModule } from '../../src/database/database.module';
import { CHIME_MS } from '../../src/schedules/program';
import { AudioStore } from '../../src/storage/audio-store';
import { measure } from '../support/audio-fixtures';

/** A process that plays programs, as far as the chime is concerned: configuration, database, the chime. */
async function chimeProcess(audioDir: string): Promise<INestApplicationContext> {
  const config = AppConfig.fromEnvironment({
    ...process.env,
    MIGRATIONS_RUN: 'false',
    DATABASE_CREATE_IF_MISSING: 'false',
    AUDIO_DIR: audioDir,
    LOG_LEVEL: 'error',
  });
  @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule, ChimeModule] })
  class ChimeHost {}
  return NestFactory.createApplicationContext(ChimeHost, { logger: false });
}

describe('The pre-announcement chime', () => {
  const dirs: string[] = [];
  const contexts: INestApplicationContext[] = [];

  async function start(audioDir?: string): Promise<INestApplicationContext> {
    const dir = audioDir ?? (await mkdtemp(join(tmpdir(), 'loa-chime-')));
    if (!audioDir) dirs.push(dir);
    const context = await chimeProcess(dir);
    contexts.push(context);
    return context;
  }

  afterAll(async () => {
    for (const context of contexts) await context.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('is rendered once, as loud as the bulletins and no longer than the session cap counts, by two processes at once', async () => {
    const shared = await mkdtemp(join(tmpdir(), 'loa-chime-'));
    dirs.push(shared);
    const [first, second] = [await start(shared), await start(shared)];
    const [a, b] = await Promise.all([first.get(ChimeAudio).rendition(), second.get(ChimeAudio).rendition()]);
    expect(b).toEqual(a);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);

    const dataSource = first.get(DataSource);
    const records = (await dataSource.query('SELECT sha256, duration_ms FROM chime_renditions WHERE recipe = $1', [first.get(ChimeAudio).recipe])) as Array<{
      sha256: string;
      duration_ms: number;
    }>;
    expect(records).toEqual([{ sha256: a.sha256, duration_ms: a.durationMs }]);

    // Measured back from the stored file, independently of Loa's own parsing.
    const path = first.get(AudioStore).pathOf('renditions', a.sha256);
    const measured = await measure(path);
    const target = first.get(AppConfig).audio.loudness;
    expect(Math.abs(measured.integratedLufs - target.integratedLufs)).toBeLessThanOrEqual(1);
    expect(measured.truePeakDbtp).toBeLessThanOrEqual(target.truePeakDbtp + 0.5);
    expect(measured.channels).toBe(1);
    expect(measured.durationSeconds * 1000).toBeLessThanOrEqual(CHIME_MS);
    expect(measured.durationSeconds * 1000).toBeGreaterThan(CHIME_MS - 500);
    expect(Math.abs(a.durationMs - measured.durationSeconds * 1000)).toBeLessThan(50);
    // Nothing left half-written in the store's scratch space.
    expect(await readdir(join(shared, 'tmp'))).toEqual([]);
  });

  it('is found, not rendered again, by a later process; and rendered again, identically, where the file is missing', async () => {
    const known = await (await start(dirs[0])).get(ChimeAudio).rendition();
    const [{ created }] = (await contexts[0]
      .get(DataSource)
      .query('SELECT created_at::text AS created FROM chime_renditions WHERE sha256 = $1', [known.sha256])) as [{ created: string }];

    const elsewhere = await start();
    const again = await elsewhere.get(ChimeAudio).rendition();
    // ffmpeg's synthesis and encoding are deterministic: the same recipe gives the same bytes.
    expect(again).toEqual(known);
    expect(await elsewhere.get(AudioStore).exists('renditions', again.sha256)).toBe(true);
    // Its record was not replaced: still the first one.
    const after = (await contexts[0].get(DataSource).query('SELECT created_at::text AS created FROM chime_renditions WHERE sha256 = $1', [known.sha256])) as Array<{
      created: string;
    }>;
    expect(after).toEqual([{ created }]);
  });
});
