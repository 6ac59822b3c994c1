import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A how-to guide's code block that says where it goes, in its fence's info string:
 *   ```ts file=libs/x.ts after="anchor"    the lines after the line holding the anchor
 *   ```ts file=libs/x.ts before="anchor"   the lines before the line holding the anchor
 *   ```ts file=libs/x.ts replace="anchor"  the anchor itself replaced by the block
 *   ```ts file=libs/x.ts end               appended to the file
 *   ```ts file=libs/x.ts new               a new file
 * An anchor must occur exactly once in its file (as the file stands after the blocks before it);
 * `\n` in an anchor stands for a line break.
 * A block may be fenced with ~~~ instead (an anchor with backticks needs it: a ``` fence's info
 * string may not hold any). Blocks without `file=` are illustrations and are not applied.
 */
export interface GuideBlock {
  /** 1-based line of the fence in the guide, so a failure points at the block. */
  readonly line: number;
  readonly file: string;
  readonly where: 'after' | 'before' | 'replace' | 'end' | 'new';
  readonly anchor: string;
  readonly code: string;
}

const ATTRIBUTE = /(\w+)(?:="([^"]*)"|=(\S+))?/g;

/** The placed blocks of a guide, in order. */
export function guideBlocks(markdown: string): GuideBlock[] {
  const lines = markdown.split('\n');
  const blocks: GuideBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(```|~~~)(\S*)\s*(.*)$/.exec(lines[i]!);
    if (!fence) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith(fence[1]!));
    if (end < 0) throw new Error(`line ${i + 1}: code block never closed`);
    const attributes = new Map<string, string>();
    for (const m of fence[3]!.matchAll(ATTRIBUTE)) attributes.set(m[1]!, m[2] ?? m[3] ?? '');
    const file = attributes.get('file');
    if (file) {
      const where = (['after', 'before', 'replace', 'end', 'new'] as const).filter((w) => attributes.has(w));
      if (where.length !== 1)
        throw new Error(`line ${i + 1}: a block with file= needs exactly one of after=, before=, replace=, end, new`);
      blocks.push({
        line: i + 1,
        file,
        where: where[0]!,
        anchor: (attributes.get(where[0]!) ?? '').replaceAll('\\n', '\n'),
        code: lines.slice(i + 1, end).join('\n'),
      });
    }
    i = end;
  }
  return blocks;
}

/** `text` with the block put where it says; throws naming the block when its anchor is not there exactly once. */
export function placeBlock(text: string, block: GuideBlock, label: string): string {
  const name = `${label}:${block.line} (${block.file}, ${block.where}${block.anchor ? ` "${block.anchor}"` : ''})`;
  if (block.where === 'end') return `${text.replace(/\n*$/, '\n')}\n${block.code}\n`;
  const at = text.indexOf(block.anchor);
  if (at < 0) throw new Error(`${name}: the anchor is not in the file`);
  if (text.indexOf(block.anchor, at + 1) >= 0) throw new Error(`${name}: the anchor is in the file more than once`);
  if (block.where === 'replace') return text.slice(0, at) + block.code + text.slice(at + block.anchor.length);
  if (block.where === 'before') {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    return `${text.slice(0, lineStart)}${block.code}\n${text.slice(lineStart)}`;
  }
  const lineEnd = text.indexOf('\n', at + block.anchor.length);
  const cut = lineEnd < 0 ? text.length : lineEnd + 1;
  return `${text.slice(0, cut)}${lineEnd < 0 ? '\n' : ''}${block.code}\n${text.slice(cut)}`;
}

/** Applies a guide's blocks in order to the tree at `root`; answers the files it touched. */
export function applyGuide(root: string, guidePath: string): string[] {
  const label = guidePath.replace(/^.*\/(docs\/)/, '$1');
  const touched: string[] = [];
  for (const block of guideBlocks(readFileSync(guidePath, 'utf8'))) {
    const path = join(root, block.file);
    if (block.where === 'new') {
      if (existsSync(path)) throw new Error(`${label}:${block.line}: ${block.file} already exists`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${block.code}\n`);
    } else {
      if (!existsSync(path)) throw new Error(`${label}:${block.line}: ${block.file} does not exist`);
      writeFileSync(path, placeBlock(readFileSync(path, 'utf8'), block, label));
    }
    if (!touched.includes(block.file)) touched.push(block.file);
  }
  return touched;
}

/** What a copy of the repository needs to type-check and run its tests. */
const COPIED = [
  'apps',
  'libs',
  'test',
  'bench',
  'projects',
  'docs',
  'tsconfig.json',
  'tsconfig.base.json',
  'jest.config.js',
  'package.json',
];
const SKIPPED = /(^|\/)(node_modules|dist|\.tmp|data)(\/|$)/;

/** Copies the repository's sources to a new temporary directory, with node_modules linked, not copied. */
export function copyRepository(repo: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'ihl-guide-'));
  for (const entry of COPIED)
    cpSync(join(repo, entry), join(copy, entry), {
      recursive: true,
      filter: (source) => !SKIPPED.test(source.slice(repo.length)),
    });
  symlinkSync(realpathSync(join(repo, 'node_modules')), join(copy, 'node_modules'), 'dir');
  return copy;
}
