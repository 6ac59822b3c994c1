/**
 * Answers read as of past positions, kept for the next request for the same query at the same
 * position: an answer as of a past position never changes, except when an erasure rewrites the
 * erased person's old versions (as-of-tables.ts), so the whole cache is dropped whenever the number
 * of erasures applied has moved. Least recently used first out, bounded by entries and by the
 * answers' size (their JSON length, a close enough measure of what they hold).
 */
export class AsOfAnswers {
  private readonly answers = new Map<string, { readonly value: unknown; readonly size: number }>();
  private size = 0;
  /** The erasures applied when the answers held were read. */
  private erasures: number | null = null;

  constructor(
    private readonly maxEntries = 2000,
    private readonly maxChars = 16 * 2 ** 20,
  ) {}

  get entries(): number {
    return this.answers.size;
  }

  /** The JSON length of the answers held (what the size bound counts). */
  get chars(): number {
    return this.size;
  }

  /**
   * The answer kept for `key` (a copy: callers may change what they get), or `read`'s, kept.
   * `erasures`: how many erasures the file has applied, read before the answer is.
   */
  answer<T>(key: string, erasures: number, read: () => T): T {
    const kept = this.get<T>(key, erasures);
    if (kept.found) return kept.value;
    const value = read();
    this.keep(key, erasures, value);
    return value;
  }

  /** The answer kept for `key` when the file has applied `erasures` erasures (a copy). */
  get<T>(key: string, erasures: number): { found: true; value: T } | { found: false } {
    if (erasures !== this.erasures) this.clear(erasures);
    const kept = this.answers.get(key);
    if (!kept) return { found: false };
    // Most recently used: last in the map's order.
    this.answers.delete(key);
    this.answers.set(key, kept);
    return { found: true, value: structuredClone(kept.value) as T };
  }

  /** Keeps `value` (a copy) as read with `erasures` erasures applied; an answer too large is not kept. */
  keep(key: string, erasures: number, value: unknown): void {
    if (erasures !== this.erasures) this.clear(erasures);
    const size = jsonLength(value);
    if (size > this.maxChars || this.answers.has(key)) return;
    this.answers.set(key, { value: structuredClone(value), size });
    this.size += size;
    for (const [oldest, { size: s }] of this.answers) {
      if (this.answers.size <= this.maxEntries && this.size <= this.maxChars) break;
      this.answers.delete(oldest);
      this.size -= s;
    }
  }

  clear(erasures: number | null = null): void {
    this.answers.clear();
    this.size = 0;
    this.erasures = erasures;
  }
}

/** JSON length of an answer; amounts in cents may be bigints, which JSON.stringify refuses. */
export function jsonLength(value: unknown): number {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))?.length ?? 0;
}
