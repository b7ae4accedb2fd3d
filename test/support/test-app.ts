import { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { AppConfig } from '../../src/config/app-config';
import { QueueName } from '../../src/queue/queue.constants';
import { createPeople, createPlaces, People, Places } from './people';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  audioDir: string;
  dataSource: DataSource;
  /** Two communes and their villages, fresh for this app. */
  places: Places;
  /** Signed-in people of every role (api role only; a worker-only app has none). */
  people: People;
  close(): Promise<void>;
}

/**
 * Starts the real service (role `all` unless overridden) on a random port, against the run's test database,
 * with its own audio directory and its own queue prefix so test files never see each other's jobs.
 */
export async function startTestApp(environment: Record<string, string> = {}): Promise<TestApp> {
  const audioDir = await mkdtemp(join(tmpdir(), 'loa-audio-'));
  const queuePrefix = `loa-test-${randomUUID().slice(0, 8)}`;
  const config = AppConfig.fromEnvironment({
    ...process.env,
    MIGRATIONS_RUN: 'false',
    DATABASE_CREATE_IF_MISSING: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    AUDIO_DIR: audioDir,
    QUEUE_PREFIX: queuePrefix,
    PORT: '0',
    HOST: '127.0.0.1',
    SHUTDOWN_GRACE_MS: '5000',
    JWT_SECRET: 'test-secret-for-loa-integration-tests-only',
    // Every sign-in of a test comes from 127.0.0.1; the throttling spec sets its own limits.
    LOGIN_THROTTLE_IP_LIMIT: '10000',
    // Tests trigger sweeps themselves; a timer would check other test files' speakers in the shared database.
    SPEAKER_HEALTH_MONITOR: 'false',
    // Tests plan with planner.planOnce(); a timer would plan other test files' schedules.
    PLANNER: 'false',
    // The device models listen on 127.0.0.1; the speaker address tests turn it off to see loopback refused.
    SPEAKER_ALLOW_LOOPBACK: 'true',
    ...environment,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const dataSource = app.get(DataSource);
  const url = `http://127.0.0.1:${port}`;
  const places = await createPlaces(dataSource);
  return {
    app,
    config,
    url,
    audioDir,
    dataSource,
    places,
    people: await createPeople(app, url, places),
    async close() {
      const queues = [QueueName.Audio, QueueName.Playback].map((name) => app.get<Queue>(getQueueToken(name)));
      await app.close();
      for (const queue of queues) {
        const cleaner = new Queue(queue.name, { connection: queue.opts.connection, prefix: queuePrefix });
        await cleaner.obliterate({ force: true });
        await cleaner.close();
      }
      await rm(audioDir, { recursive: true, force: true });
    },
  };
}
