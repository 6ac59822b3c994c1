import { guideBlocks, placeBlock } from './how-to-guide';

const guide = [
  'Some text.',
  '```ts',
  'an illustration, not applied',
  '```',
  '```ts file=a.ts after="const b = 2;"',
  'const c = 3;',
  '```',
  '~~~md file=b.md replace="`x`\\ny"',
  '`z`',
  '~~~',
].join('\n');

describe('how-to guide blocks', () => {
  it('reads only the blocks that name a file, with their place and line', () => {
    expect(guideBlocks(guide)).toEqual([
      { line: 5, file: 'a.ts', where: 'after', anchor: 'const b = 2;', code: 'const c = 3;' },
      { line: 8, file: 'b.md', where: 'replace', anchor: '`x`\ny', code: '`z`' },
    ]);
  });

  it('places a block after, before or instead of its anchor, or at the end', () => {
    const text = 'const a = 1;\nconst b = 2;\nconst d = 4;\n';
    const block = { line: 1, file: 'a.ts', anchor: 'b = 2', code: 'const c = 3;' } as const;
    expect(placeBlock(text, { ...block, where: 'after' }, 'g')).toBe(
      'const a = 1;\nconst b = 2;\nconst c = 3;\nconst d = 4;\n',
    );
    expect(placeBlock(text, { ...block, where: 'before' }, 'g')).toBe(
      'const a = 1;\nconst c = 3;\nconst b = 2;\nconst d = 4;\n',
    );
    expect(placeBlock(text, { ...block, where: 'replace' }, 'g')).toBe(
      'const a = 1;\nconst const c = 3;;\nconst d = 4;\n',
    );
    expect(placeBlock(text, { ...block, where: 'end', anchor: '' }, 'g')).toBe(`${text}\nconst c = 3;\n`);
  });

  it('fails naming the block when its anchor is missing or not unique', () => {
    const block = { line: 7, file: 'a.ts', where: 'after', code: '' } as const;
    expect(() => placeBlock('x\n', { ...block, anchor: 'y' }, 'guide.md')).toThrow(
      'guide.md:7 (a.ts, after "y"): the anchor is not in the file',
    );
    expect(() => placeBlock('x\nx\n', { ...block, anchor: 'x' }, 'guide.md')).toThrow(
      'guide.md:7 (a.ts, after "x"): the anchor is in the file more than once',
    );
  });
});
