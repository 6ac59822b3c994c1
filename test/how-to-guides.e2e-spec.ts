import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { applyGuide, copyRepository, guideBlocks } from './support/how-to-guide';

const run = promisify(execFile);
const REPO = join(__dirname, '..');
const GUIDES = ['docs/how-to/add-an-activity-kind.md', 'docs/how-to/add-a-read-model.md'];

/** Runs a tool of the copy's node_modules in the copy; fails with its output. */
async function inCopy(copy: string, tool: string, args: string[]): Promise<void> {
  try {
    await run(process.execPath, [join(copy, 'node_modules', tool), ...args], {
      cwd: copy,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${tool} ${args.join(' ')} failed in ${copy}:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: e });
  }
}

/**
 * Each how-to guide, followed as written: its code blocks applied in order to a copy of the
 * repository (an anchor not found exactly once fails, naming the block), the copy type-checked,
 * then every spec the guide writes or edits run with Jest in the copy. A guide that no longer
 * matches the code fails here.
 */
describe.each(GUIDES)('the how-to guide %s, followed on a copy of the repository', (guide) => {
  // One copy type-check and the suites the guide edits (the bulk-rebuild properties among them):
  // ~90 s on an idle machine, over 360 s while the rest of the suite runs beside it.
  jest.setTimeout(900_000);
  let copy = '';
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('applies, type-checks and passes the specs it writes or edits', async () => {
    const blocks = guideBlocks(readFileSync(join(REPO, guide), 'utf8'));
    const specs = [...new Set(blocks.map((b) => b.file).filter((f) => /\.(spec|int-spec|e2e-spec)\.ts$/.test(f)))];
    // A guide must end in a spec of its own (a new file), so following it proves something.
    expect(blocks.filter((b) => b.where === 'new' && specs.includes(b.file))).not.toHaveLength(0);
    copy = copyRepository(REPO);
    applyGuide(copy, join(REPO, guide));
    await inCopy(copy, 'typescript/bin/tsc', ['--noEmit', '-p', 'tsconfig.json']);
    await inCopy(copy, 'jest/bin/jest.js', ['--ci', '--runInBand', '--runTestsByPath', ...specs]);
  });
});
