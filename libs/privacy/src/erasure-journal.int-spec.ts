import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErasureJournal } from './erasure-journal';

describe('ErasureJournal', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ihl-journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const a = `p1_${'a'.repeat(64)}`;
  const b = `p1_${'b'.repeat(64)}`;

  it('keeps every pseudonym recorded, in a file only its owner reads', () => {
    const file = join(dir, 'erasures.jsonl');
    const journal = new ErasureJournal(file);
    journal.record(a, new Date('2026-01-01T00:00:00Z'));
    journal.record(b, new Date('2026-01-02T00:00:00Z'));
    journal.record(a, new Date('2026-01-03T00:00:00Z'));
    expect([...ErasureJournal.read(file)].sort()).toEqual([a, b]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('skips a torn last line (a crash mid-write, never acknowledged) and reads a missing file as empty', () => {
    const file = join(dir, 'erasures.jsonl');
    new ErasureJournal(file).record(a, new Date());
    appendFileSync(file, `{"pseudonym":"${b.slice(0, 20)}`);
    expect([...ErasureJournal.read(file)]).toEqual([a]);
    expect(ErasureJournal.read(join(dir, 'none.jsonl')).size).toBe(0);
  });

  it('refuses anything but a pseudonym', () => {
    expect(() => new ErasureJournal(join(dir, 'j')).record('39001010000', new Date())).toThrow(/not a pseudonym/);
  });
});
