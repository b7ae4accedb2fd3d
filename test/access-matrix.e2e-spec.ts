import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role } from '../src/auth/role';
import { BulletinStatus } from '../src/bulletins/bulletin-status';
import { Bulletin } from '../src/bulletins/bulletin.entity';
import { Playback } from '../src/playbacks/playback.entity';
import { PlaybackStatus } from '../src/playbacks/playback-status';
import { ScheduleBulletin } from '../src/schedules/schedule-bulletin.entity';
import { SchedulePriority } from '../src/schedules/schedule-priority';
import { ScheduleStatus } from '../src/schedules/schedule-status';
import { ScheduleTarget } from '../src/schedules/schedule-target.entity';
import { Schedule } from '../src/schedules/schedule.entity';
import { Speaker } from '../src/speakers/speaker.entity';
import { Topic } from '../src/topics/topic.entity';
import { UsersService } from '../src/users/users.service';
import { makeAudio, speechLike } from './support/audio-fixtures';
import { uploadBulletin, waitUntilProcessed } from './support/bulletin-client';
import { authHeader, createSession, Session } from './support/people';
import { routeTable } from './support/route-table';
import { MediaLinks } from '../src/media-links/media-links.service';
import { SecretBox } from '../src/security/secret-box';
import { signedHeaders } from '../src/speakers/drivers/gateway-signature';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Every route × every kind of caller, with the exact status each must get. The table is written by hand;
 * the test fails when the application serves a route the table does not list (or the table lists one
 * the application no longer serves), so a new route cannot ship without a declared rule.
 */

const CALLERS = ['anonymous', 'admin', 'editor', 'approver', 'operator', 'viewer', 'otherCommune', 'otherVillage'] as const;
type Caller = (typeof CALLERS)[number];
type Expectation = Record<Caller, number>;

interface HttpRequest {
  path: string;
  json?: unknown;
  upload?: { file: string; fields: Record<string, string> };
  /** Who sends it, when not the caller's usual session (e.g. a fresh session that logout may end). */
  session?: Session | null;
  /** Extra headers, e.g. a gateway's signature. */
  headers?: Record<string, string>;
  /** A stream that never ends by itself (server-sent events): only its status is read. */
  stream?: boolean;
}

interface RouteCase {
  expect: Expectation;
  /** For routes where only approvers act, the other commune is represented by its approver. */
  otherCommuneIsApprover?: boolean;
  /** Builds the request for one caller, creating fresh fixtures so every cell starts from the same state. */
  request(caller: Caller): Promise<HttpRequest> | HttpRequest;
}

const everyone = (status: number, anonymous = 401): Expectation => ({
  anonymous,
  admin: status,
  editor: status,
  approver: status,
  operator: status,
  viewer: status,
  otherCommune: status,
  otherVillage: status,
});
const adminOnly = (status: number): Expectation => ({ ...everyone(403), admin: status });
const libraryReader = (otherCommune: number): Expectation => ({
  anonymous: 401,
  admin: 200,
  editor: 200,
  approver: 200,
  operator: 403,
  viewer: 200,
  otherCommune,
  otherVillage: 403,
});

describe('Access: every route for every kind of caller', () => {
  let loa: TestApp;
  let fixtures: string;
  let topicId: string;
  let audioBulletin: string;
  let frequency = 300;

  beforeAll(async () => {
    loa = await startTestApp();
    fixtures = await mkdtemp(join(tmpdir(), 'loa-matrix-'));
    topicId = (await loa.dataSource.getRepository(Topic).findOneByOrFail({ name: 'Khác' })).id;
    const file = await makeAudio(fixtures, 'shared.mp3', { source: speechLike(2, 9001), output: ['-c:a', 'libmp3lame'] });
    const created = await uploadBulletin(loa.people.editor, file, { title: 'Bản tin dùng chung', topic: topicId });
    audioBulletin = (await waitUntilProcessed(loa.people.editor, created.body.id as string)).id as string;
  });

  afterAll(async () => {
    await loa?.close();
    await rm(fixtures, { recursive: true, force: true });
  });

  function sessionOf(caller: Caller, routeCase: RouteCase): Session | null {
    if (caller === 'anonymous') return null;
    if (caller === 'otherCommune') return routeCase.otherCommuneIsApprover ? loa.people.otherApprover : loa.people.otherEditor;
    if (caller === 'otherVillage') return loa.people.otherOperator;
    return loa.people[caller];
  }

  /** A new account with the same role and scope as the caller, for requests that end sessions. */
  async function freshSessionLike(session: Session | null): Promise<Session | null> {
    if (!session) return null;
    const { role, communeIds, villageIds } = session.user;
    return createSession(loa.app, loa.url, role, { communeIds, villageIds });
  }

  /** A ready bulletin of the first commune, written directly: approval does not need real audio. */
  async function readyBulletin(): Promise<string> {
    const repository = loa.dataSource.getRepository(Bulletin);
    const sha = randomUUID().replace(/-/g, '').padEnd(64, '0');
    const bulletin = await repository.save(
      repository.create({
        title: 'Bản tin chờ duyệt',
        communeId: loa.places.commune.id,
        topicId,
        status: BulletinStatus.Ready,
        originalSha256: sha,
        originalFilename: 'x.mp3',
        originalBytes: 1,
        originalFormat: 'mp3',
        originalCodec: 'mp3',
        originalDurationMs: 1000,
        originalSampleRate: 44100,
        originalChannels: 1,
        originalPeakDbfs: -3,
        renditionSha256: sha,
      }),
    );
    return bulletin.id;
  }

  /** An approved bulletin of the first commune, written directly: scheduling needs only its duration. */
  async function approvedBulletin(): Promise<string> {
    const bulletins = loa.dataSource.getRepository(Bulletin);
    const bulletin = await bulletins.findOneByOrFail({ id: await readyBulletin() });
    await bulletins.update(bulletin.id, { status: BulletinStatus.Approved, durationMs: 60_000 });
    return bulletin.id;
  }

  /** A daily schedule of the first commune on the operator's village, written directly. */
  async function villageSchedule(status = ScheduleStatus.Active): Promise<string> {
    const bulletinId = await approvedBulletin();
    const schedule = await loa.dataSource.getRepository(Schedule).save({
      communeId: loa.places.commune.id,
      title: 'Lịch thử',
      status,
      rrule: 'DTSTART:20260101T000000\nRRULE:FREQ=DAILY;BYHOUR=6',
      startsAt: null,
      timezone: 'Asia/Ho_Chi_Minh',
      programMs: 60_000,
    });
    await loa.dataSource.getRepository(ScheduleBulletin).insert({ scheduleId: schedule.id, version: 1, position: 0, bulletinId });
    await loa.dataSource.getRepository(ScheduleTarget).insert({ scheduleId: schedule.id, villageId: loa.places.village.id });
    return schedule.id;
  }

  /** An emergency broadcast of the first commune an hour from now on a new manual speaker, written directly. */
  async function emergencySchedule(): Promise<string> {
    const bulletinId = await approvedBulletin();
    const schedule = await loa.dataSource.getRepository(Schedule).save({
      communeId: loa.places.commune.id,
      title: 'Phát khẩn cấp thử',
      status: ScheduleStatus.Active,
      priority: SchedulePriority.Emergency,
      startsAt: new Date(Date.now() + 3_600_000),
      rrule: null,
      timezone: 'Asia/Ho_Chi_Minh',
      programMs: 60_000,
    });
    await loa.dataSource.getRepository(ScheduleBulletin).insert({ scheduleId: schedule.id, version: 1, position: 0, bulletinId });
    await loa.dataSource.getRepository(ScheduleTarget).insert({ scheduleId: schedule.id, speakerId: await villageSpeaker() });
    return schedule.id;
  }

  async function someUser(): Promise<string> {
    const user = await loa.app.get(UsersService).create({
      username: `target-${randomUUID().slice(0, 8)}`,
      displayName: 'Người thử',
      role: Role.Viewer,
      password: `Loa-${randomUUID()}`,
      communeIds: [loa.places.commune.id],
    });
    return user.id;
  }

  const unique = () => randomUUID().slice(0, 8);

  /** A manual speaker of the operator's village, written directly: checking it needs no network. */
  async function villageSpeaker(): Promise<string> {
    const repository = loa.dataSource.getRepository(Speaker);
    const speaker = await repository.save(
      repository.create({ villageId: loa.places.village.id, name: `Cụm loa ${unique()}`, driver: 'manual', settings: {}, secretsSealed: null }),
    );
    return speaker.id;
  }

  /** A playback of the operator's village, scheduled a minute ago on a new manual speaker, written directly. */
  async function pastVillagePlayback(): Promise<string> {
    const scheduledAt = new Date(Date.now() - 60_000);
    const playback = await loa.dataSource.getRepository(Playback).save({
      scheduleId: await villageSchedule(),
      speakerId: await villageSpeaker(),
      villageId: loa.places.village.id,
      communeId: loa.places.commune.id,
      priority: SchedulePriority.Normal,
      scheduledAt,
      graceUntil: scheduledAt,
      status: PlaybackStatus.Playing,
    });
    return playback.id;
  }

  const GATEWAY_KEY = 'matrix-gateway-key-0123456789abcdef';

  /** A gateway speaker whose key signs the events below. */
  async function gatewaySpeaker(): Promise<string> {
    const repository = loa.dataSource.getRepository(Speaker);
    const speaker = await repository.save(
      repository.create({
        villageId: loa.places.village.id,
        name: `Cổng ${unique()}`,
        driver: 'http-gateway',
        settings: { url: 'http://127.0.0.1:9' },
        secretsSealed: loa.app.get(SecretBox).seal({ key: GATEWAY_KEY }),
      }),
    );
    return speaker.id;
  }

  /** A media link path for the shared bulletin's rendition. */
  async function mediaPath(): Promise<string> {
    const bulletin = await loa.dataSource.getRepository(Bulletin).findOneByOrFail({ id: audioBulletin });
    return new URL(loa.app.get(MediaLinks).urlFor(bulletin.renditionSha256!, 'mp3')).pathname;
  }

  const ROUTES: Record<string, RouteCase> = {
    // Signed links and signed device callbacks: the same answer whoever sends them, account or not.
    'GET /api/media/:token': { expect: everyone(200, 200), request: async () => ({ path: await mediaPath() }) },
    'POST /api/gateway/events': {
      expect: everyone(202, 202),
      async request() {
        const event = { playbackId: randomUUID(), event: 'started', at: new Date().toISOString(), nonce: randomUUID().replace(/-/g, '') };
        return { path: `/api/gateway/events?speaker=${await gatewaySpeaker()}`, json: event, headers: signedHeaders(GATEWAY_KEY, JSON.stringify(event)) };
      },
    },
    'GET /api/health': { expect: everyone(200, 200), request: () => ({ path: '/api/health' }) },
    // Reasons and versions name hosts, paths and software: admins only.
    'GET /api/health/details': { expect: adminOnly(200), request: () => ({ path: '/api/health/details' }) },
    // Aggregate numbers only (no names, ids or content): Prometheus scrapes it without an account.
    'GET /api/metrics': { expect: everyone(200, 200), request: () => ({ path: '/api/metrics' }) },
    'POST /api/auth/login': {
      expect: everyone(200, 401),
      request(caller) {
        const session = caller === 'anonymous' ? null : sessionOf(caller, this);
        return {
          path: '/api/auth/login',
          json: { username: session?.user.username ?? loa.people.admin.user.username, password: session?.password ?? 'not-the-password' },
          session: null,
        };
      },
    },
    'GET /api/auth/me': { expect: everyone(200), request: () => ({ path: '/api/auth/me' }) },
    'POST /api/auth/logout': {
      expect: everyone(204),
      async request(caller) {
        return { path: '/api/auth/logout', session: await freshSessionLike(sessionOf(caller, this)) };
      },
    },
    'POST /api/auth/logout-all': {
      expect: everyone(204),
      async request(caller) {
        return { path: '/api/auth/logout-all', session: await freshSessionLike(sessionOf(caller, this)) };
      },
    },
    'POST /api/auth/password': {
      expect: everyone(204),
      async request(caller) {
        const session = await freshSessionLike(sessionOf(caller, this));
        return { path: '/api/auth/password', session, json: { currentPassword: session?.password ?? 'x', newPassword: `Mới-${randomUUID()}` } };
      },
    },
    'GET /api/audit': { expect: adminOnly(200), request: () => ({ path: '/api/audit' }) },
    'POST /api/users': {
      expect: adminOnly(201),
      request: () => ({
        path: '/api/users',
        json: { username: `new-${unique()}`, displayName: 'Người mới', role: 'viewer', password: `Loa-${randomUUID()}`, communeIds: [loa.places.commune.id] },
      }),
    },
    'GET /api/users': { expect: adminOnly(200), request: () => ({ path: '/api/users' }) },
    'GET /api/users/:id': { expect: adminOnly(200), request: () => ({ path: `/api/users/${loa.people.editor.user.id}` }) },
    'PATCH /api/users/:id': { expect: adminOnly(200), request: async () => ({ path: `/api/users/${await someUser()}`, json: { displayName: 'Đổi tên' } }) },
    'POST /api/users/:id/password': {
      expect: adminOnly(204),
      request: async () => ({ path: `/api/users/${await someUser()}/password`, json: { password: `Loa-${randomUUID()}` } }),
    },
    'POST /api/communes': { expect: adminOnly(201), request: () => ({ path: '/api/communes', json: { name: `Xã Mới ${unique()}` } }) },
    'GET /api/communes': { expect: everyone(200), request: () => ({ path: '/api/communes' }) },
    'GET /api/communes/:id': {
      // The other village's operator works in the same commune, so sees it; the other commune's editor does not.
      expect: { ...everyone(200), otherCommune: 404 },
      request: () => ({ path: `/api/communes/${loa.places.commune.id}` }),
    },
    'PATCH /api/communes/:id': {
      expect: adminOnly(200),
      request: () => ({ path: `/api/communes/${loa.places.commune.id}`, json: { timezone: 'Asia/Ho_Chi_Minh' } }),
    },
    'POST /api/villages': {
      expect: adminOnly(201),
      request: () => ({ path: '/api/villages', json: { communeId: loa.places.commune.id, name: `Thôn Mới ${unique()}` } }),
    },
    'GET /api/villages': { expect: everyone(200), request: () => ({ path: '/api/villages' }) },
    'GET /api/villages/:id': {
      expect: { ...everyone(200), otherCommune: 404, otherVillage: 404 },
      request: () => ({ path: `/api/villages/${loa.places.village.id}` }),
    },
    'PATCH /api/villages/:id': { expect: adminOnly(200), request: () => ({ path: `/api/villages/${loa.places.village.id}`, json: { code: 'PM' } }) },
    'GET /api/topics': { expect: everyone(200), request: () => ({ path: '/api/topics' }) },
    'POST /api/topics': {
      expect: { ...everyone(403), anonymous: 401, admin: 201, editor: 201, otherCommune: 201 },
      request: () => ({ path: '/api/topics', json: { name: `Chủ đề ${unique()}` } }),
    },
    'PATCH /api/topics/:id': {
      // A topic of the first commune: the other commune's editor may not change it.
      expect: { ...everyone(403), anonymous: 401, admin: 200, editor: 200, otherCommune: 404 },
      async request() {
        const topics = loa.dataSource.getRepository(Topic);
        const topic = await topics.save(topics.create({ name: `Chủ đề ${unique()}`, sortOrder: 10_000, communeId: loa.places.commune.id }));
        return { path: `/api/topics/${topic.id}`, json: { description: 'Mô tả' } };
      },
    },
    'POST /api/bulletins': {
      expect: { ...everyone(403), anonymous: 401, admin: 201, editor: 201, otherCommune: 404 },
      async request() {
        const file = await makeAudio(fixtures, `up-${frequency}.mp3`, { source: `sine=frequency=${frequency++}:duration=1`, output: ['-c:a', 'libmp3lame'] });
        return { path: '/api/bulletins', upload: { file, fields: { title: 'Tải lên', topic: topicId, communeId: loa.places.commune.id } } };
      },
    },
    'GET /api/bulletins': { expect: libraryReader(200), request: () => ({ path: '/api/bulletins' }) },
    'GET /api/bulletins/:id': { expect: libraryReader(404), request: () => ({ path: `/api/bulletins/${audioBulletin}` }) },
    'GET /api/bulletins/:id/audio': { expect: libraryReader(404), request: () => ({ path: `/api/bulletins/${audioBulletin}/audio` }) },
    'POST /api/bulletins/:id/approve': {
      expect: { ...everyone(403), anonymous: 401, admin: 200, approver: 200, otherCommune: 404 },
      otherCommuneIsApprover: true,
      request: async () => ({ path: `/api/bulletins/${await readyBulletin()}/approve` }),
    },
    'POST /api/bulletins/:id/reject': {
      expect: { ...everyone(403), anonymous: 401, admin: 200, approver: 200, otherCommune: 404 },
      otherCommuneIsApprover: true,
      request: async () => ({ path: `/api/bulletins/${await readyBulletin()}/reject`, json: { reason: 'Thu âm lại' } }),
    },
    'POST /api/bulletins/:id/archive': {
      expect: { ...everyone(403), anonymous: 401, admin: 200, editor: 200, approver: 200, otherCommune: 404 },
      request: async () => ({ path: `/api/bulletins/${await readyBulletin()}/archive` }),
    },
    'POST /api/speakers': {
      expect: adminOnly(201),
      request: () => ({ path: '/api/speakers', json: { villageId: loa.places.village.id, name: `Cụm loa mới ${unique()}`, driver: 'manual' } }),
    },
    'GET /api/speakers': { expect: everyone(200), request: () => ({ path: '/api/speakers' }) },
    'GET /api/speakers/:id': {
      // The speaker is in the operator's village: the neighbour village's operator and the other commune do not see it.
      expect: { ...everyone(200), otherCommune: 404, otherVillage: 404 },
      request: async () => ({ path: `/api/speakers/${await villageSpeaker()}` }),
    },
    'PATCH /api/speakers/:id': { expect: adminOnly(200), request: async () => ({ path: `/api/speakers/${await villageSpeaker()}`, json: { tags: ['ven biển'] } }) },
    'GET /api/speakers/:id/health': {
      expect: { ...everyone(200), otherCommune: 404, otherVillage: 404 },
      request: async () => ({ path: `/api/speakers/${await villageSpeaker()}/health` }),
    },
    'POST /api/speakers/:id/check': {
      // Roles are refused before the speaker is looked up; only the other commune's editor reaches the scope's 404.
      expect: { ...everyone(403), anonymous: 401, admin: 200, editor: 200, otherCommune: 404 },
      request: async () => ({ path: `/api/speakers/${await villageSpeaker()}/check` }),
    },
    'POST /api/schedules': {
      // Roles are refused first; the other commune's editor names a village outside its scope and gets the scope's 404.
      expect: { ...everyone(403), anonymous: 401, admin: 201, editor: 201, otherCommune: 404 },
      request: async () => ({
        path: '/api/schedules',
        json: { title: 'Lịch mới', bulletinIds: [await approvedBulletin()], targets: { villageIds: [loa.places.village.id] }, rrule: 'FREQ=DAILY;BYHOUR=6' },
      }),
    },
    'GET /api/schedules': { expect: libraryReader(200), request: () => ({ path: '/api/schedules' }) },
    'GET /api/schedules/:id': { expect: libraryReader(404), request: async () => ({ path: `/api/schedules/${await villageSchedule()}` }) },
    'PATCH /api/schedules/:id': {
      expect: { ...everyone(403), anonymous: 401, admin: 200, editor: 200, otherCommune: 404 },
      request: async () => ({ path: `/api/schedules/${await villageSchedule()}`, json: { title: 'Đổi tên lịch' } }),
    },
    'GET /api/schedules/:id/occurrences': {
      expect: libraryReader(404),
      request: async () => ({ path: `/api/schedules/${await villageSchedule()}/occurrences` }),
    },
    'POST /api/schedules/:id/pause': {
      expect: { ...everyone(403), anonymous: 401, admin: 200, editor: 200, otherCommune: 404 },
      request: async () => ({ path: `/api/schedules/${await villageSchedule()}/pause` }),
    },
    'POST /api/schedules/:id/resume': {
      expect: { ...everyone(403), anonymous: 401, admin: 200, editor: 200, otherCommune: 404 },
      request: async () => ({ path: `/api/schedules/${await villageSchedule(ScheduleStatus.Paused)}/resume` }),
    },
    'POST /api/schedules/:id/cancel': {
      expect: { ...everyone(403), anonymous: 401, admin: 200, editor: 200, otherCommune: 404 },
      request: async () => ({ path: `/api/schedules/${await villageSchedule()}/cancel` }),
    },
    'POST /api/broadcasts/emergency': {
      // As for schedules: roles first, then the other commune's editor names a speaker outside its scope (404).
      expect: { ...everyone(403), anonymous: 401, admin: 201, editor: 201, otherCommune: 404 },
      request: async () => ({
        path: '/api/broadcasts/emergency',
        json: { bulletinId: await approvedBulletin(), targets: { speakerIds: [await villageSpeaker()] }, repeatEveryMinutes: 60 },
      }),
    },
    'POST /api/broadcasts/:id/stop': {
      expect: { ...everyone(403), anonymous: 401, admin: 200, editor: 200, otherCommune: 404 },
      request: async () => ({ path: `/api/broadcasts/${await emergencySchedule()}/stop` }),
    },
    // A scoped list: everyone may ask, and gets only the playbacks of their communes (operators: their villages).
    'GET /api/playbacks': { expect: everyone(200), request: () => ({ path: '/api/playbacks?date=today' }) },
    // Reports read the first commune: its offices and its villages' operators (each limited to their village) may; the other commune gets 404.
    'GET /api/reports/summary': {
      expect: { ...everyone(200), otherCommune: 404 },
      request: () => ({ path: `/api/reports/summary?communeId=${loa.places.commune.id}&from=2026-11-01&to=2026-11-30` }),
    },
    'GET /api/reports/as-run': {
      expect: { ...everyone(200), otherCommune: 404 },
      request: () => ({ path: `/api/reports/as-run?communeId=${loa.places.commune.id}&from=2026-11-01&to=2026-11-30` }),
    },
    // Only the village's operator confirms or reports (they heard it); the neighbour village's operator gets 404.
    'POST /api/playbacks/:id/confirm': {
      expect: { ...everyone(403), anonymous: 401, operator: 200, otherVillage: 404 },
      request: async () => ({ path: `/api/playbacks/${await pastVillagePlayback()}/confirm`, json: { note: 'Nghe rõ' } }),
    },
    // Only the village's operator may take a confirmation back; an unconfirmed playback has nothing to take back (409).
    'DELETE /api/playbacks/:id/confirm': {
      expect: { ...everyone(403), anonymous: 401, operator: 409, otherVillage: 404 },
      request: async () => ({ path: `/api/playbacks/${await pastVillagePlayback()}/confirm` }),
    },
    'POST /api/playbacks/:id/problem': {
      expect: { ...everyone(403), anonymous: 401, operator: 200, otherVillage: 404 },
      request: async () => ({ path: `/api/playbacks/${await pastVillagePlayback()}/problem`, json: { kind: 'power_cut' } }),
    },
    // The broadcast log is scoped like playbacks; chain-wide reads are for the commune's offices, not operators.
    'GET /api/airtime': { expect: everyone(200), request: () => ({ path: '/api/airtime' }) },
    'GET /api/airtime/verify': {
      expect: libraryReader(404),
      request: () => ({ path: `/api/airtime/verify?communeId=${loa.places.commune.id}` }),
    },
    'GET /api/airtime/checkpoints': {
      expect: libraryReader(404),
      request: () => ({ path: `/api/airtime/checkpoints?communeId=${loa.places.commune.id}` }),
    },
    'POST /api/airtime/checkpoints': {
      expect: { ...everyone(403), anonymous: 401, admin: 201, approver: 201, otherCommune: 404 },
      otherCommuneIsApprover: true,
      request: () => ({ path: '/api/airtime/checkpoints', json: { communeId: loa.places.commune.id } }),
    },
    // The live feed is scoped like GET /api/playbacks: everyone signed in gets a stream of what they may see.
    'GET /api/live': { expect: everyone(200), request: () => ({ path: '/api/live', stream: true }) },
  };

  async function send(method: string, request: HttpRequest, session: Session | null): Promise<number> {
    const headers: Record<string, string> = { ...(session ? authHeader(session) : {}), ...request.headers };
    let body: FormData | string | undefined;
    if (request.upload) {
      const form = new FormData();
      for (const [name, value] of Object.entries(request.upload.fields)) form.append(name, value);
      form.append('file', await openAsBlob(request.upload.file), 'bulletin.mp3');
      body = form;
    } else if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.json);
    }
    const response = await fetch(`${loa.url}${request.path}`, { method, headers, body });
    if (request.stream && response.ok) await response.body?.cancel();
    else await response.arrayBuffer();
    return response.status;
  }

  it('lists exactly the routes the application serves, each with a declared access rule', () => {
    const served = routeTable(loa.app);
    expect(served.filter((route) => !route.rule).map((route) => route.key)).toEqual([]);
    expect(served.map((route) => route.key)).toEqual(Object.keys(ROUTES).sort((a, b) => a.localeCompare(b)));
  });

  it.each(Object.keys(ROUTES))('%s answers each caller as declared', async (key) => {
    const routeCase = ROUTES[key];
    const method = key.split(' ')[0];
    const actual: Partial<Expectation> = {};
    for (const caller of CALLERS) {
      const request = await routeCase.request(caller);
      const session = request.session === undefined ? sessionOf(caller, routeCase) : request.session;
      actual[caller] = await send(method, request, session);
    }
    expect(actual).toEqual(routeCase.expect);
  });
});
