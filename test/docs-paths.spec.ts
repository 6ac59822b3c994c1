import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const SOURCE_DIRS = ['apps', 'libs', 'test', 'bench', 'scripts', 'docs', 'projects', 'docker', '.ci'];
/** A repository path with a file extension, e.g. libs/projections/src/projection-runner.ts. */
const PATH = /(?<![\w/.-])((?:apps|libs|test|scripts|bench|docker|projects|docs|\.ci)\/[\w./-]*\.[a-z]+)\b/g;
/** A file named alone in code spans, e.g. `projection-runner.ts`. */
const NAME = /`([\w.-]+\.(?:ts|sh|json|cjs|mjs|md))`/g;

function filesUnder(dir: string, into: Set<string>): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    if (entry.isDirectory()) filesUnder(join(dir, entry.name), into);
    else into.add(entry.name);
  }
  return into;
}

// The docs name the files a reader should open: a renamed or moved file must not leave them pointing nowhere.
describe('README.md and docs/*.md name only files that exist', () => {
  const names = new Set<string>();
  for (const dir of SOURCE_DIRS) if (existsSync(join(ROOT, dir))) filesUnder(join(ROOT, dir), names);
  for (const entry of readdirSync(ROOT, { withFileTypes: true })) if (entry.isFile()) names.add(entry.name);

  it.each(DOCS)('%s', (doc) => {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    const missing: string[] = [];
    for (const [, path] of text.matchAll(PATH))
      if (!existsSync(join(ROOT, path!)) && !existsSync(join(ROOT, dirname(doc), path!))) missing.push(path!);
    for (const [, name] of text.matchAll(NAME)) if (!names.has(basename(name!))) missing.push(name!);
    expect(missing).toEqual([]);
  });
});
