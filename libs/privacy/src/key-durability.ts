/** How many persons are remembered as on disk; past it the memory starts again (bounded, never wrong). */
const MAX_KNOWN_DURABLE = 100_000;

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Which persons' keys this process used or created since its last sync of the key file, and the
 * callers waiting for that sync. The sync runs off the event loop (`sync` returns a promise): the
 * callers who come while one runs share the next one, so under load each sync covers many requests
 * and no request waits on the disk with the event loop blocked.
 */
export class KeyDurability {
  private readonly unsynced = new Set<string>();
  private readonly durable = new Set<string>();
  private waiters: Waiter[] = [];
  /** The callers the running sync will answer (settle answers them too). */
  private covering: Waiter[] = [];
  private scheduled = false;
  private running = false;

  /**
   * `sync`: makes every key committed to the file before it was called durable. `blocking`: the same,
   * done at once, for settle() before the file closes (by default `sync`, when that is synchronous).
   */
  constructor(
    private readonly sync: () => void | Promise<void>,
    private readonly blocking: () => void = () => void sync(),
  ) {}

  /** A key was created or read for this person: until a sync of ours, it may not be on disk. */
  used(pseudonym: string): void {
    if (!this.durable.has(pseudonym)) this.unsynced.add(pseudonym);
  }

  whenDurable(): Promise<void> {
    // While a sync runs, a key used before it started may be among those it has not yet made durable.
    if (this.unsynced.size === 0 && !this.running) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (this.scheduled || this.running) return;
      this.scheduled = true;
      setImmediate(() => void this.run());
    });
  }

  /** Before the file closes: whoever waits gets a sync rather than an error. */
  settle(): void {
    if (!this.scheduled && !this.running) return;
    this.blocking();
    this.remember([...this.unsynced]);
    this.unsynced.clear();
    for (const w of [...this.covering, ...this.waiters]) w.resolve();
    this.covering = [];
    this.waiters = [];
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    this.running = true;
    try {
      while (this.waiters.length > 0) {
        const waiters = (this.covering = this.waiters);
        this.waiters = [];
        const covered = [...this.unsynced];
        this.unsynced.clear();
        try {
          if (covered.length > 0) await this.sync();
        } catch (e) {
          for (const p of covered) this.unsynced.add(p);
          for (const w of waiters) w.reject(e);
          continue;
        }
        this.remember(covered);
        for (const w of waiters) w.resolve();
      }
    } finally {
      this.covering = [];
      this.running = false;
    }
  }

  private remember(covered: readonly string[]): void {
    if (this.durable.size + covered.length > MAX_KNOWN_DURABLE) this.durable.clear();
    for (const p of covered) this.durable.add(p);
  }
}
