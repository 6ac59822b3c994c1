import { closeSync, existsSync, fchmodSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { isPseudonym } from './pseudonymizer';

/**
 * An append-only list of the pseudonyms erased, one JSON line each, written and fsynced before the
 * key is destroyed. It exists for restores: a backup taken before an erasure still holds the person's
 * key and lacks the PersonErased event, so `ledger restore` reads this journal (kept on another volume
 * than DATA_DIR, see docs/operations.md) and erases them again. It holds pseudonyms only, which the
 * log holds in clear anyway.
 */
export class ErasureJournal {
  constructor(readonly file: string) {}

  /** Durable when it returns: the key may be destroyed after it. */
  record(pseudonym: string, at: Date): void {
    if (!isPseudonym(pseudonym)) throw new TypeError('erasure journal: not a pseudonym');
    const fd = openSync(this.file, 'a', 0o600);
    try {
      fchmodSync(fd, 0o600);
      writeSync(fd, `${JSON.stringify({ pseudonym, erasedAt: at.toISOString() })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** The pseudonyms recorded; a torn last line (a crash mid-write, never acknowledged) is skipped. */
  static read(file: string): Set<string> {
    const erased = new Set<string>();
    if (!existsSync(file)) return erased;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const pseudonym = parseLine(line);
      if (pseudonym) erased.add(pseudonym);
    }
    return erased;
  }
}

function parseLine(line: string): string | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object' || !('pseudonym' in value)) return undefined;
    return typeof value.pseudonym === 'string' && isPseudonym(value.pseudonym) ? value.pseudonym : undefined;
  } catch {
    return undefined;
  }
}
