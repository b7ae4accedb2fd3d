import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PlaybackPlanner } from '../../src/playbacks/playback-planner';
import { call } from '../support/api';
import { makeAudio, speechLike } from '../support/audio-fixtures';
import { firstTopicId, uploadBulletin, waitUntilProcessed } from '../support/bulletin-client';
import { decodePayload, forgeToken } from '../support/jwt-forge';
import { startTestApp, TestApp } from '../support/test-app';
import { LiveStream } from './live-events';

type Body = Record<string, any>;
/** The secret startTestApp() signs tokens with. */
const TEST_JWT_SECRET = 'test-secret-for-loa-integration-tests-only';

describe('Live feed: GET /api/live as server-sent events', () => {
  let loa: TestApp;
  let fixtures: string;
  const streams: LiveStream[] = [];

  beforeAll(async () => {
    loa = await startTestApp();
    fixtures = await mkdtemp(join(tmpdir(), 'loa-live-'));
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await loa?.close();
    if (fixtures) await rm(fixtures, { recursive: true, force: true });
  });

  async function subscribe(session: Parameters<typeof LiveStream.open>[0]): Promise<LiveStream> {
    const stream = await LiveStream.open(session);
    streams.push(stream);
    expect(stream.status).toBe(200);
    await stream.next((message) => message.event === 'ready');
    return stream;
  }

  async function speakerIn(villageId: string, name: string): Promise<string> {
    const answer = await call<Body>(loa.people.admin, 'POST', '/api/speakers', { villageId, name, driver: 'manual' });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  }

  it('refuses a caller without a valid token with the usual JSON 401', async () => {
    const answer = await fetch(`${loa.url}/api/live`, { headers: { Accept: 'text/event-stream' } });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ statusCode: 401 });
  });

  it("streams each playback's changes, whichever process made them, to the people whose scope holds it and to no one else", async () => {
    const { editor, operator, otherOperator, otherEditor } = loa.people;
    const [editorFeed, operatorFeed, neighbourFeed, otherCommuneFeed] = await Promise.all([editor, operator, otherOperator, otherEditor].map(subscribe));

    // A speaker added to the village: its state reaches the commune's editor and the village's operator.
    const speakerId = await speakerIn(loa.places.village.id, 'Cụm loa nhà văn hóa');
    const speakerEvent = await operatorFeed.next((message) => message.event === 'speaker' && message.data.id === speakerId);
    expect(speakerEvent.data).toMatchObject({ villageId: loa.places.village.id, communeId: loa.places.commune.id, status: 'unknown', enabled: true });
    await editorFeed.next((message) => message.event === 'speaker' && message.data.id === speakerId);

    const file = await makeAudio(fixtures, 'tin.mp3', { source: speechLike(2, 77), output: ['-c:a', 'libmp3lame'] });
    const uploaded = await uploadBulletin(editor, file, { title: 'Tin trực tiếp', topic: await firstTopicId(editor) });
    await waitUntilProcessed(editor, uploaded.body.id as string);
    expect((await call(loa.people.approver, 'POST', `/api/bulletins/${uploaded.body.id as string}/approve`)).status).toBe(200);
    const schedule = await call<Body>(editor, 'POST', '/api/schedules', {
      title: 'Bản tin chiều',
      bulletinIds: [uploaded.body.id],
      targets: { speakerIds: [speakerId] },
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(schedule.status).toBe(201);
    await loa.app.get(PlaybackPlanner).planOnce({ communeIds: [loa.places.commune.id] });

    // The planner inserts the playback, then queues it: a poll may see either step, but always the last one.
    const planned = await operatorFeed.next(
      (message) => message.event === 'playback' && message.data.scheduleId === schedule.body.id && message.data.status === 'queued',
    );
    expect(planned.data).toMatchObject({ speakerId, villageId: loa.places.village.id, status: 'queued' });
    const [listed] = (await call<{ items: Body[] }>(operator, 'GET', `/api/playbacks?scheduleId=${schedule.body.id as string}`)).body.items;
    expect(planned.data).toEqual(listed);

    // Another process (a worker elsewhere) changes the row: the feed reads PostgreSQL, not this process's memory.
    const other = new Client({ connectionString: loa.config.database.url });
    await other.connect();
    try {
      await other.query(`UPDATE playbacks SET status = 'cancelled', failure_code = 'schedule_cancelled', updated_at = now() WHERE id = $1`, [planned.data.id]);
    } finally {
      await other.end();
    }
    const cancelled = await editorFeed.next((message) => message.event === 'playback' && message.data.id === planned.data.id && message.data.status === 'cancelled');
    expect(cancelled.data.failureCode).toBe('schedule_cancelled');
    await operatorFeed.next((message) => message.event === 'playback' && message.data.id === planned.data.id && message.data.status === 'cancelled');
    // Each change is sent once, however many polls look back over it.
    const statuses = operatorFeed.messages.filter((message) => message.data.id === planned.data.id).map((message) => message.data.status as string);
    expect(statuses.slice(-2)).toEqual(['queued', 'cancelled']);
    expect(new Set(statuses).size).toBe(statuses.length);

    // A later change each of the others may see: the stream is ordered, so whatever was sent before it has arrived.
    const neighbourSpeaker = await speakerIn(loa.places.neighbourVillage.id, 'Cụm loa chợ');
    await neighbourFeed.next((message) => message.event === 'speaker' && message.data.id === neighbourSpeaker);
    const otherCommuneSpeaker = await speakerIn(loa.places.otherVillage.id, 'Cụm loa bến đò');
    await otherCommuneFeed.next((message) => message.event === 'speaker' && message.data.id === otherCommuneSpeaker);
    for (const feed of [neighbourFeed, otherCommuneFeed]) {
      expect(feed.messages.filter((message) => message.data.villageId === loa.places.village.id)).toEqual([]);
    }
    expect(operatorFeed.messages.filter((message) => message.data.id === neighbourSpeaker)).toEqual([]);
    expect(editorFeed.messages.filter((message) => message.data.id === otherCommuneSpeaker)).toEqual([]);
  });

  it('ends the stream when its token expires, so a signed-out browser does not keep listening', async () => {
    // The viewer's own token, re-signed to expire in two seconds.
    const claims = decodePayload(loa.people.viewer.token);
    const token = forgeToken({ alg: 'HS256', typ: 'JWT' }, { ...claims, jti: randomUUID(), exp: Math.floor(Date.now() / 1000) + 2 }, TEST_JWT_SECRET);
    const feed = await subscribe({ ...loa.people.viewer, token });
    await feed.end();
    expect(feed.messages.map((message) => message.event)).toContain('ready');
  });
});
