import { randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/role';
import { call } from '../support/api';
import { createSession, Session } from '../support/people';
import { startTestApp, TestApp } from '../support/test-app';
import { LiveStream } from './live-events';

type Body = Record<string, any>;

describe('Live feed: a stream closes once its account may no longer listen', () => {
  let loa: TestApp;
  const streams: LiveStream[] = [];

  beforeAll(async () => {
    // Production re-checks every 30 s (LIVE_RECHECK_SECONDS); a second keeps this test short.
    loa = await startTestApp({ LIVE_RECHECK_SECONDS: '1' });
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await loa?.close();
  });

  async function subscribe(session: Session): Promise<LiveStream> {
    const stream = await LiveStream.open(session);
    streams.push(stream);
    expect(stream.status).toBe(200);
    await stream.next((message) => message.event === 'ready');
    return stream;
  }

  const viewer = () => createSession(loa.app, loa.url, Role.Viewer, { communeIds: [loa.places.commune.id] });

  /** A speaker added to a village: an open stream whose scope holds it hears of it, a closed one cannot. */
  async function speakerAdded(villageId = loa.places.village.id): Promise<string> {
    const answer = await call<Body>(loa.people.admin, 'POST', '/api/speakers', { villageId, name: `Cụm loa ${randomUUID().slice(0, 8)}`, driver: 'manual' });
    expect(answer.status).toBe(201);
    return answer.body.id as string;
  }

  it("closes a disabled account's stream, while a valid one goes on", async () => {
    const [disabled, bystander] = [await viewer(), await viewer()];
    const [disabledFeed, bystanderFeed] = [await subscribe(disabled), await subscribe(bystander)];
    expect((await call(loa.people.admin, 'PATCH', `/api/users/${disabled.user.id}`, { disabled: true })).status).toBe(200);
    await disabledFeed.end();

    const speakerId = await speakerAdded();
    await bystanderFeed.next((message) => message.event === 'speaker' && message.data.id === speakerId);
    expect(disabledFeed.messages.some((message) => message.data.id === speakerId)).toBe(false);
  });

  it("closes a signed-out token's stream, and every stream of an account signed out everywhere", async () => {
    const session = await viewer();
    const feed = await subscribe(session);
    expect((await call(session, 'POST', '/api/auth/logout')).status).toBe(204);
    await feed.end();

    const everywhere = await viewer();
    const [first, second] = [await subscribe(everywhere), await subscribe(everywhere)];
    expect((await call(everywhere, 'POST', '/api/auth/logout-all')).status).toBe(204);
    await first.end();
    await second.end();
  });

  it('closes a stream whose scope changed, so it never carries the old scope on', async () => {
    const session = await viewer();
    const feed = await subscribe(session);
    const moved = await call(loa.people.admin, 'PATCH', `/api/users/${session.user.id}`, { communeIds: [loa.places.otherCommune.id] });
    expect(moved.status).toBe(200);
    await feed.end();
    // Reconnecting with the same token is allowed, with the new scope: the other commune's speakers, not the first's.
    const again = await subscribe(session);
    const first = await speakerAdded(loa.places.village.id);
    const other = await speakerAdded(loa.places.otherVillage.id);
    await again.next((message) => message.event === 'speaker' && message.data.id === other);
    expect(again.messages.some((message) => message.data.id === first)).toBe(false);
  });
});
