/** How many persons are remembered as on disk; past it the memory starts again (bounded, never wrong). */
const MAX_KNOWN_DURABLE = 100_000;

/**
 * Which persons' keys this process used or created since its last sync of the key file, and the
 * callers waiting for that sync: the callers of one event-loop turn share one synchronous commit.
 */
export class KeyDurability {
  private readonly unsynced = new Set<string>();
  private readonly durable = new Set<string>();
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  /** `sync`: one synchronous commit of the key file (it makes every earlier commit durable with it). */
  constructor(private readonly sync: () => void) {}

  /** A key was created or read for this person: until a sync of ours, it may not be on disk. */
  used(pseudonym: string): void {
    if (!this.durable.has(pseudonym)) this.unsynced.add(pseudonym);
  }

  whenDurable(): Promise<void> {
    if (this.unsynced.size === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.syncNow());
    });
  }

  /** Before the file closes: whoever waits gets the sync rather than an error. */
  settle(): void {
    if (this.scheduled) this.syncNow();
  }

  private syncNow(): void {
    this.scheduled = false;
    const waiters = this.waiters;
    this.waiters = [];
    const covered = [...this.unsynced];
    this.unsynced.clear();
    try {
      this.sync();
    } catch (e) {
      for (const p of covered) this.unsynced.add(p);
      for (const w of waiters) w.reject(e);
      return;
    }
    if (this.durable.size + covered.length > MAX_KNOWN_DURABLE) this.durable.clear();
    for (const p of covered) this.durable.add(p);
    for (const w of waiters) w.resolve();
  }
}
