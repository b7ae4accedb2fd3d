import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { call } from '../support/api';
import { startTestApp, TestApp } from '../support/test-app';
import { launchChromium, People, prepareConsole, ROOT, signIn } from './browser-support';

/** The directives a policy sets, by name: "script-src 'self'" → { 'script-src': ["'self'"] }. */
function directives(policy: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (policy ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name, sources]),
  );
}

/**
 * Every answer, the API's and the console's, tells the browser to run only this origin's files (no inline script),
 * never to show the page in a frame, not to guess content types, to send no referrer and to keep to HTTPS; and the
 * console works under that policy without a single violation.
 */
describe('Security headers', () => {
  let loa: TestApp;
  let browser: Browser;
  let people: People;
  let stylesheet: string;

  beforeAll(async () => {
    await prepareConsole();
    [loa, browser] = await Promise.all([startTestApp(), launchChromium()]);
    people = new People(browser, loa.url);
    const assets = await readdir(join(ROOT, 'web', 'dist', 'assets'));
    stylesheet = `/assets/${assets.find((name) => name.endsWith('.css'))}`;
  });

  afterAll(async () => {
    await people?.close();
    await browser?.close();
    await loa?.close();
  });

  it.each([
    ['the console page', '/', 200],
    ['another path, answered by the console page', '/some/page', 200],
    ['a console file', () => stylesheet, 200],
    ['the public health check', '/api/health', 200],
    ['an API error', '/api/bulletins', 401],
    ['an unknown API path', '/api/nothing-here', 404],
  ])('on %s', async (_what, path, status) => {
    const answer = await fetch(`${loa.url}${typeof path === 'string' ? path : path()}`, { headers: { Accept: 'text/html,application/json' } });
    expect(answer.status).toBe(status);
    const policy = directives(answer.headers.get('content-security-policy'));
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['style-src']).toEqual(["'self'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    expect(answer.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
  });

  it('on the API documentation, whose Swagger UI needs inline styles but no inline script', async () => {
    const answer = await call(loa.url, 'GET', '/api/docs');
    expect(answer.status).toBe(200);
    const policy = directives(answer.headers.get('content-security-policy'));
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
  });

  it('and the console signs in and opens every page of its menu without a policy violation', async () => {
    const page = await people.open({ width: 1280, height: 900 });
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(error.message));
    // Reloaded with the listeners in place, so the first load's own violations are seen too.
    await page.reload();
    await signIn(page, loa.people.editor);
    const menu = page.getByRole('navigation', { name: 'Menu chính' }).getByRole('link');
    for (let index = 0; index < (await menu.count()); index += 1) {
      await menu.nth(index).click();
      await page.waitForLoadState('networkidle');
    }
    expect(await menu.count()).toBeGreaterThan(3);
    expect(violations).toEqual([]);
  });
});
