import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The files that may name the `playbacks` table: its one owner, and the entity that maps it. */
const OWNERS = ['src/playbacks/playback-repository.ts', 'src/playbacks/playback.entity.ts'];

const ROOT = join(__dirname, '..', '..');

/** SQL touching the table, and TypeORM access to its entity, anywhere but in OWNERS. */
const FORBIDDEN: Array<{ what: string; pattern: RegExp }> = [
  { what: 'SQL on playbacks', pattern: /\b(?:FROM|UPDATE|INSERT INTO|JOIN|DELETE FROM|USING)\s+"?playbacks"?\b/ },
  { what: 'Repository<Playback>', pattern: /\bRepository<Playback>/ },
  { what: 'a Playback repository', pattern: /\b(?:getRepository|InjectRepository|createQueryBuilder)\(\s*Playback\b/ },
  { what: 'Playback in forFeature', pattern: /forFeature\(\s*\[[^\]]*\bPlayback\b/ },
  { what: 'an EntityManager call on Playback', pattern: /\.(?:find\w*|count\w*|save|insert|update|delete|upsert|query|exists\w*)\(\s*Playback\b/ },
];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Every `file:line: what` where FORBIDDEN matches in `files` (each file read whole, so SQL split over lines is seen). */
function offenders(files: Array<{ path: string; text: string }>): string[] {
  return files.flatMap(({ path, text }) =>
    FORBIDDEN.flatMap(({ what, pattern }) => {
      const match = new RegExp(pattern.source, 'g');
      return [...text.matchAll(match)].map((found) => `${path}:${text.slice(0, found.index).split('\n').length}: ${what}`);
    }),
  );
}

describe('one owner for playbacks', () => {
  it('reads and writes the playbacks table only in PlaybackRepository', () => {
    const files = sourceFiles(join(ROOT, 'src'))
      .map((path) => relative(ROOT, path))
      .filter((path) => !OWNERS.includes(path))
      .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
    expect(offenders(files)).toEqual([]);
  });

  it('finds each kind of access it forbids', () => {
    const samples = [
      'await db.query(`UPDATE playbacks SET status = $1`)',
      'SELECT count(*) FROM\n       playbacks p',
      'INSERT INTO playbacks (id) VALUES ($1)',
      'DELETE FROM playbacks p USING schedules s',
      'constructor(@InjectRepository(Playback) private readonly rows: Repository<Playback>) {}',
      'this.dataSource.getRepository(Playback).find()',
      'TypeOrmModule.forFeature([Schedule, Playback])',
      'manager.findOneBy(Playback, { id })',
    ];
    const found = offenders(samples.map((text, index) => ({ path: `sample${index}`, text })));
    expect(new Set(found.map((line) => line.split(':')[0]))).toEqual(new Set(samples.map((_, index) => `sample${index}`)));
    expect(offenders([{ path: 'prose', text: '/** Turns schedules into playbacks every minute; playbacks from the planner. */' }])).toEqual([]);
  });
});
