import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { TestApp } from './test-app';

/** What an upload can leave behind: bulletin rows and stored originals. */
export interface StoreFootprint {
  rows: number;
  originals: string[];
}

/** The only files AUDIO_DIR may hold outside tmp/: content-addressed originals and renditions. */
const CONTENT_ADDRESSED = /^(originals\/([0-9a-f]{2})\/\2[0-9a-f]{62}|renditions\/([0-9a-f]{2})\/\3[0-9a-f]{62}\.mp3)$/;

export async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Every file under `dir`, as paths relative to it, sorted; [] when `dir` does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

export function originalPath(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256}`;
}

export async function footprint(loa: TestApp): Promise<StoreFootprint> {
  const [{ rows }] = (await loa.dataSource.query('SELECT count(*)::int AS rows FROM bulletins')) as { rows: number }[];
  return { rows, originals: await filesUnder(join(loa.audioDir, 'originals')) };
}

export async function rowsHolding(loa: TestApp, sha256: string): Promise<number> {
  const [{ rows }] = (await loa.dataSource.query('SELECT count(*)::int AS rows FROM bulletins WHERE original_sha256 = $1', [sha256])) as { rows: number }[];
  return rows;
}

/** AUDIO_DIR holds only content-addressed files, and nothing is left in tmp/. */
export async function expectTidyStore(loa: TestApp): Promise<void> {
  // readdir, not filesUnder: a missing tmp/ must fail here rather than pass as empty.
  expect(await readdir(join(loa.audioDir, 'tmp'))).toEqual([]);
  const stray = (await filesUnder(loa.audioDir)).filter((path) => !CONTENT_ADDRESSED.test(path));
  expect(stray).toEqual([]);
}

/** No new row, no new original, an empty tmp/; and when the sent file is given, nothing holds its content. */
export async function expectNothingStored(loa: TestApp, before: StoreFootprint, sentFile?: string): Promise<void> {
  expect(await footprint(loa)).toEqual(before);
  await expectTidyStore(loa);
  if (sentFile) expect(await rowsHolding(loa, await sha256Of(sentFile))).toBe(0);
}

/**
 * Where a careless server would have written a file under the client's name: the process cwd, AUDIO_DIR and its
 * subfolders, the system temp dir; each name as sent, cut at a NUL (as C would), without NULs, and its last segment.
 */
export function placesNamedAfter(clientName: string, dirs: string[]): string[] {
  const variants = new Set([clientName, clientName.split('\0')[0], clientName.replace(/\0/g, ''), basename(clientName)]);
  return dirs.flatMap((dir) => [...variants].filter((name) => name.length > 0).map((name) => resolve(dir, name)));
}

/** Modification time of each path, or null when it does not exist (or cannot exist: too long, holds a NUL). */
export async function pathStates(paths: string[]): Promise<Record<string, number | null>> {
  const states: Record<string, number | null> = {};
  for (const path of paths)
    states[path] = await lstat(path).then(
      (info) => info.mtimeMs,
      () => null,
    );
  return states;
}
