import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { Session } from '../support/people';

/** The console in a real browser (Debian's Chromium, headless), against the real service. Shared by the browser tests. */
export const ROOT = join(__dirname, '..', '..');
/** Screenshots of every browser test, kept by CI as artifacts (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'web');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

export interface Viewport {
  width: number;
  height: number;
}

/** `npm test` builds the console first; a direct `jest` run builds it here when it is missing. */
export async function prepareConsole(): Promise<void> {
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.mts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  }
  await mkdir(ARTIFACTS, { recursive: true });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** One person's browser: an isolated context (own localStorage) in the commune's zone and language. */
export class People {
  private readonly contexts: BrowserContext[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly url: string,
  ) {}

  async open(viewport: Viewport, options: { acceptDownloads?: boolean } = {}): Promise<Page> {
    const context = await this.browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', acceptDownloads: options.acceptDownloads ?? false });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${this.url}/`);
    return page;
  }

  async close(): Promise<void> {
    await Promise.all(this.contexts.map((context) => context.close().catch(() => undefined)));
  }
}

export async function signIn(page: Page, person: Session): Promise<void> {
  await page.getByLabel('Tên đăng nhập').fill(person.user.username);
  await page.getByLabel('Mật khẩu').fill(person.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('navigation', { name: 'Menu chính' }).waitFor();
}

export const menuOf = (page: Page) => page.getByRole('navigation', { name: 'Menu chính' }).getByRole('link').allTextContents();
// Evaluated in the page; written as strings because this project's TypeScript has no DOM library.
export const scrollWidth = (page: Page) => page.evaluate('document.documentElement.scrollWidth') as Promise<number>;
/** Marks the document: if the page reloads, the mark is gone. */
export const markDocument = (page: Page) => page.evaluate('window.loaSameDocument = true');
export const sameDocument = async (page: Page) => (await page.evaluate('window.loaSameDocument')) === true;
/** A full-page screenshot artifact; infinite animations are stopped, and a machine busy with the other shard gets a minute. */
export const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true, animations: 'disabled', timeout: 60_000 });

/**
 * Presses Tab until the focused element's text (or label) matches `name`, as a keyboard user would, and answers
 * how many presses it took; fails after `limit` presses.
 */
export async function tabTo(page: Page, name: string | RegExp, limit = 60): Promise<number> {
  for (let presses = 1; presses <= limit; presses++) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(
      "(() => { const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.textContent || '').trim() : ''; })()",
    )) as string;
    if (typeof name === 'string' ? focused === name : name.test(focused)) return presses;
  }
  throw new Error(`no element named ${String(name)} within ${limit} Tab presses`);
}

/** YYYY-MM-DD in the commune's zone, `offsetDays` from today. */
export function localDayIn(offsetDays: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );
}
