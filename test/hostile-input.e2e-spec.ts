import { randomUUID } from 'node:crypto';
import { Type } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger/dist/constants';
import { AuditService } from '../src/audit/audit.service';
import { UPLOAD_TEXT_FIELDS, UploadBulletinDto } from '../src/bulletins/dto/upload-bulletin.dto';
import { call } from './support/api';
import { authHeader } from './support/people';
import { rawRequest } from './support/raw-request';
import { dtoFields, routeInputs } from './support/route-inputs';
import { Route, routeTable } from './support/route-table';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Input no route can use answers 400 on every route, before it reaches a DTO, PostgreSQL or the audit log.
 * The routes and their fields are read from Nest's and class-validator's metadata, so a new route or field is covered.
 */

/** Routes whose body is multipart, read by the handler itself: their text fields are named by a DTO here. */
const MULTIPART_FIELDS: Record<string, Type> = { 'POST /api/bulletins': UploadBulletinDto };

const CONTROL_CHARACTER = /contains an invisible control character \(U\+0000\)/;
const PAGING_PARAMETERS = ['page', 'pageSize', 'limit'];
/** Every list read by `page` and `pageSize`, answering `{items, total, page, pageSize}`. */
const OFFSET_PAGED = [
  'GET /api/airtime',
  'GET /api/audit',
  'GET /api/bulletins',
  'GET /api/users',
  'GET /api/communes',
  'GET /api/villages',
  'GET /api/speakers',
  'GET /api/topics',
  'GET /api/schedules',
];
const NOT_WHOLE_NUMBERS = ['99999999999999999999', '1e400', '-1', 'NaN', '1.5', '0x10', '0', ''];

function methodOf(route: Route): string {
  return route.key.split(' ')[0];
}

/** The route's path with a fresh id in every parameter, or `value` (already encoded) in the one named. */
function pathOf(route: Route, parameter?: string, value?: string): string {
  return route.key.split(' ')[1].replace(/:(\w+)/g, (_match, name: string) => (name === parameter ? value! : randomUUID()));
}

/** `{a: {b: value}}` for the field `a.b`. */
function bodyWith(field: string, value: unknown): Record<string, unknown> {
  return field
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

describe('Hostile input: 400, never 500, on every route', () => {
  let loa: TestApp;
  let routes: Route[];

  beforeAll(async () => {
    loa = await startTestApp();
    routes = routeTable(loa.app);
  });

  afterAll(async () => {
    await loa?.close();
  });

  const keys = () => routes.map((route) => route.key);
  const route = (key: string) => routes.find((candidate) => candidate.key === key)!;

  it('reads the routes and their inputs from the application', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routeInputs(route('POST /api/schedules')).bodyFields).toEqual(expect.arrayContaining(['title', 'targets.villageIds']));
    expect(routeInputs(route('GET /api/bulletins')).queryParameters).toEqual(expect.arrayContaining(['q', 'page', 'pageSize']));
    expect(routeInputs(route('POST /api/gateway/events')).queryParameters).toEqual(['speaker']);
  });

  it('names the text fields of every multipart route, and the upload accepts exactly those fields', () => {
    const multipart = routes
      .filter((candidate) => (Reflect.getMetadata(DECORATORS.API_CONSUMES, candidate.controller.prototype[candidate.handler]) ?? []).includes('multipart/form-data'))
      .map((candidate) => candidate.key);
    expect(multipart).toEqual(Object.keys(MULTIPART_FIELDS));
    expect([...UPLOAD_TEXT_FIELDS].sort()).toEqual(dtoFields(UploadBulletinDto).sort());
  });

  describe('JSON nested 10,000 levels deep', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    it('answers 400 on every route, without signing in', async () => {
      const answers: Record<string, number> = {};
      for (const candidate of routes) answers[candidate.key] = (await rawRequest(loa.url, methodOf(candidate), pathOf(candidate), deep)).status;
      expect(answers).toEqual(Object.fromEntries(keys().map((key) => [key, 400])));
      const answer = await rawRequest(loa.url, 'POST', '/api/auth/login', deep);
      expect(answer.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('nested deeper than 32 levels') });
    });

    it('leaves 32 levels to the route (a schedule needs 3)', async () => {
      const answer = await call(loa.people.editor, 'POST', '/api/topics', bodyWith(Array.from({ length: 31 }, () => 'a').join('.'), {}));
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/property a should not exist/);
    });
  });

  it('answers 400 to a body that is not JSON, on every route, saying where it breaks', async () => {
    const answers: Record<string, unknown> = {};
    for (const candidate of routes) answers[candidate.key] = (await rawRequest(loa.url, methodOf(candidate), pathOf(candidate), '{"title": "Bản tin",')).body;
    const refused = { statusCode: 400, error: 'Bad Request', message: expect.stringContaining('JSON at position') };
    expect(answers).toEqual(Object.fromEntries(keys().map((key) => [key, refused])));
  });

  describe('a NUL character', () => {
    it('in any field of a JSON body, at any depth, is refused naming the field', async () => {
      const cases = routes.flatMap((candidate) => routeInputs(candidate).bodyFields.map((field) => ({ candidate, field })));
      expect(cases.length).toBeGreaterThan(60);
      for (const { candidate, field } of cases) {
        const answer = await rawRequest(loa.url, methodOf(candidate), pathOf(candidate), JSON.stringify(bodyWith(field, 'Thôn\u0000Phú Mỹ')));
        expect({ route: candidate.key, field, ...answer }).toEqual({
          route: candidate.key,
          field,
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', message: expect.stringMatching(new RegExp(`^${field.replace(/\./g, '\\.')} ${CONTROL_CHARACTER.source}`)) },
        });
      }
    });

    it('in a field name or a list of a JSON body is refused', async () => {
      const inName = await call(loa.people.admin, 'POST', '/api/communes', { ['na\u0000me']: 'Xã' });
      expect(inName).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^na\\u0000me contains/) } });
      const inList = await call(loa.people.admin, 'PATCH', `/api/speakers/${randomUUID()}`, { tags: ['ven biển', 'cảng\u0000'] });
      expect(inList).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^tags\[1\] contains/) } });
    });

    it('in any query parameter is refused naming the parameter', async () => {
      const cases = routes.flatMap((candidate) => routeInputs(candidate).queryParameters.map((parameter) => ({ candidate, parameter })));
      expect(cases.length).toBeGreaterThan(40);
      for (const { candidate, parameter } of cases) {
        const answer = await rawRequest(loa.url, methodOf(candidate), `${pathOf(candidate)}?${parameter}=ab%00c`);
        expect({ route: candidate.key, parameter, ...answer }).toEqual({
          route: candidate.key,
          parameter,
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', message: expect.stringMatching(new RegExp(`^query parameter ${parameter} ${CONTROL_CHARACTER.source}`)) },
        });
      }
    });

    it('in any route parameter is refused naming the parameter', async () => {
      const cases = routes.flatMap((candidate) => routeInputs(candidate).pathParameters.map((parameter) => ({ candidate, parameter })));
      expect(cases.length).toBeGreaterThan(20);
      for (const { candidate, parameter } of cases) {
        const answer = await rawRequest(loa.url, methodOf(candidate), pathOf(candidate, parameter, 'x%00y'));
        expect({ route: candidate.key, parameter, ...answer }).toEqual({
          route: candidate.key,
          parameter,
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', message: expect.stringMatching(new RegExp(`^route parameter ${parameter} ${CONTROL_CHARACTER.source}`)) },
        });
      }
    });

    it.each(Object.entries(MULTIPART_FIELDS).flatMap(([key, dto]) => dtoFields(dto).map((field) => [key, field])))(
      'in the multipart field of %s %s is refused naming it',
      async (key, field) => {
        const form = new FormData();
        form.append(field, 'Bản\u0000tin');
        form.append('file', new Blob([Buffer.alloc(1024)]), 'bulletin.mp3');
        const [method, path] = key.split(' ');
        const response = await fetch(`${loa.url}${path}`, { method, headers: authHeader(loa.people.editor), body: form });
        expect({ status: response.status, body: await response.json() }).toEqual({
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', message: expect.stringMatching(new RegExp(`^${field} ${CONTROL_CHARACTER.source}`)) },
        });
      },
    );
  });

  describe('paging', () => {
    const pagedRoutes = () =>
      routes.flatMap((candidate) =>
        routeInputs(candidate)
          .queryParameters.filter((parameter) => PAGING_PARAMETERS.includes(parameter))
          .map((parameter) => ({ candidate, parameter })),
      );

    it('every paging parameter refuses a number that is not a whole number in its range, stating the range', async () => {
      expect(new Set(pagedRoutes().map(({ candidate }) => candidate.key))).toEqual(new Set([...OFFSET_PAGED, 'GET /api/playbacks', 'GET /api/reports/as-run']));
      for (const { candidate, parameter } of pagedRoutes()) {
        for (const value of NOT_WHOLE_NUMBERS) {
          const answer = await call(loa.people.admin, 'GET', `${pathOf(candidate)}?${parameter}=${encodeURIComponent(value)}`);
          expect({ route: candidate.key, parameter, value, status: answer.status, message: answer.body.message }).toEqual({
            route: candidate.key,
            parameter,
            value,
            status: 400,
            message: expect.stringMatching(new RegExp(`${parameter} must be a whole number from 1 to \\d+`)),
          });
        }
      }
    });

    it('the last allowed page of every offset-paged list, at its largest page size, answers, empty', async () => {
      for (const key of OFFSET_PAGED) {
        const path = key.split(' ')[1];
        // The largest page size is the one the refusal of a larger one states.
        const refused = await call(loa.people.admin, 'GET', `${path}?pageSize=99999999`);
        const largest = /pageSize must be a whole number from 1 to (\d+)/.exec(String(refused.body.message))?.[1];
        expect({ key, largest }).toEqual({ key, largest: expect.stringMatching(/^\d+$/) });
        const answer = await call<{ items: unknown[]; total: number }>(loa.people.admin, 'GET', `${path}?page=100000&pageSize=${largest}`);
        expect({ key, status: answer.status, items: answer.body.items, total: typeof answer.body.total }).toEqual({ key, status: 200, items: [], total: 'number' });
      }
    });
  });

  it('answers an instant no calendar holds (year 0, -271821, 275760, 31 February) with 400 in every query parameter, never 500', async () => {
    const instants = ['-271821-04-20', '+275760-09-13T00:00:00Z', '0000-01-01T00:00:00Z', '2026-02-31T00:00:00Z', '2026-12-01T24:00:01Z'];
    const tried: string[] = [];
    const serverErrors: string[] = [];
    for (const candidate of routes.filter((route) => methodOf(route) === 'GET')) {
      for (const parameter of routeInputs(candidate).queryParameters) {
        for (const value of instants) {
          const answer = await call(loa.people.admin, 'GET', `${pathOf(candidate)}?${parameter}=${encodeURIComponent(value)}`);
          tried.push(`${candidate.key} ${parameter}`);
          if (answer.status >= 500) serverErrors.push(`${candidate.key}?${parameter}=${value} → ${answer.status}`);
        }
      }
    }
    expect(serverErrors).toEqual([]);
    expect(tried).toEqual(expect.arrayContaining(['GET /api/airtime from', 'GET /api/playbacks to', 'GET /api/airtime/checkpoints from']));
  });

  describe('the audit log', () => {
    const FORBIDDEN_IN_SQL = '[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]';

    it('holds no control character after hostile sign-ins and changes, and loses no entry to one', async () => {
      const since = (await loa.dataSource.query(`SELECT coalesce(max(id), 0) AS id FROM audit_log`))[0].id as string;
      for (const character of ['\u0000', '\u0001', '\u007f', '\u009b']) {
        expect((await call(loa.url, 'POST', '/api/auth/login', { username: `admin${character}`, password: 'x' })).status).toBe(400);
        expect((await call(loa.people.viewer, 'PATCH', `/api/topics/${randomUUID()}`, { name: `Chủ đề${character}` })).status).toBe(400);
        expect((await call(loa.url, 'POST', `/api/bulletins/${encodeURIComponent(character)}/approve`)).status).toBe(400);
        expect((await call(loa.people.admin, 'GET', `/api/audit?actor=${encodeURIComponent(`admin${character}`)}`)).status).toBe(400);
      }
      // Text a caller sent that reaches the log another way is written out, not stored and not lost.
      await loa.app.get(AuditService).record({ action: 'test.hostile', actorUsername: 'a\u0000b', outcome: 'failure', details: { message: 'x\u0000\u009by' } });
      const rows = (await loa.dataSource.query(`SELECT actor_username, action, resource_id, user_agent, details::text AS details FROM audit_log WHERE id > $1`, [
        since,
      ])) as Array<Record<string, string | null>>;
      expect(rows.filter((row) => Object.values(row).some((value) => value !== null && new RegExp(FORBIDDEN_IN_SQL).test(value)))).toEqual([]);
      expect(rows).toContainEqual(expect.objectContaining({ action: 'test.hostile', actor_username: 'a\\u0000b', details: '{"message": "x\\\\u0000\\\\u009by"}' }));
    });
  });
});
