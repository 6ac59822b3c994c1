/** A snapshot lent out by the cache: read from `value`, then `release` it (once; extra calls do nothing). */
export interface SnapshotLease<T> {
  readonly value: T;
  release(): Promise<void>;
}

export interface SnapshotCacheOptions<T> {
  /** Most snapshots kept for reuse; a snapshot is a whole read-model set, so keep this small. */
  readonly capacity: number;
  /** Makes the snapshot of the log up to a position. Called once per position while it stays cached. */
  readonly build: (position: number) => Promise<T>;
  /** Frees a snapshot: only ever called when no lease on it is left. */
  readonly dispose: (value: T) => Promise<void>;
}

interface Entry<T> {
  readonly ready: Promise<T>;
  leases: number;
  /** Out of the cache: disposed when its last lease is released. */
  evicted: boolean;
}

/**
 * Frozen snapshots by position, least recently used evicted first. A snapshot is never changed
 * after it is built (a later position is built from the log, never by feeding a cached one), so
 * one snapshot can serve any number of requests at once: each holds a lease, eviction prefers
 * snapshots without leases, and an evicted snapshot still leased is disposed at its last release.
 * Memory: at most `capacity` cached snapshots, plus evicted ones still leased.
 */
export class SnapshotCache<T> {
  /** Map order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<number, Entry<T>>();
  private readonly counters = { builds: 0, hits: 0, disposals: 0 };

  constructor(private readonly options: SnapshotCacheOptions<T>) {
    if (!(options.capacity >= 1)) throw new RangeError('a snapshot cache holds at least one snapshot');
  }

  /** The snapshot at `position`: cached, being built by another caller, or built now. */
  async acquire(position: number): Promise<SnapshotLease<T>> {
    let entry = this.entries.get(position);
    if (entry) {
      this.entries.delete(position);
      this.counters.hits += 1;
    } else {
      const ready = this.options.build(position);
      const created: Entry<T> = { ready, leases: 0, evicted: false };
      entry = created;
      this.counters.builds += 1;
      // A failed build is not kept: the next caller tries again.
      ready.catch(() => {
        if (this.entries.get(position) === created) this.entries.delete(position);
      });
    }
    this.entries.set(position, entry);
    entry.leases += 1;
    const unused = this.evictBeyondCapacity();
    let value: T;
    try {
      for (const victim of unused) await this.dispose(victim);
      value = await entry.ready;
    } catch (e) {
      entry.leases -= 1;
      // Evicted meanwhile and now unused: free it, unless it is the build that failed.
      if (entry.evicted && entry.leases === 0) await this.dispose(entry).catch(() => undefined);
      throw e;
    }
    const leased = entry;
    let released = false;
    return {
      value,
      release: async () => {
        if (released) return;
        released = true;
        leased.leases -= 1;
        if (leased.evicted && leased.leases === 0) await this.dispose(leased);
      },
    };
  }

  /** Empties the cache: unleased snapshots are disposed now, leased ones at their last release. */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const entry of all) {
      entry.evicted = true;
      if (entry.leases === 0) await this.dispose(entry);
    }
  }

  /** Builds, cache hits and disposals since creation, and how many snapshots are cached now. */
  stats(): { builds: number; hits: number; disposals: number; cached: number } {
    return { ...this.counters, cached: this.entries.size };
  }

  /** Takes the least recently used snapshots out of the cache; answers those that can be disposed now. */
  private evictBeyondCapacity(): Entry<T>[] {
    const unused: Entry<T>[] = [];
    while (this.entries.size > this.options.capacity) {
      let victim: [number, Entry<T>] | undefined;
      for (const candidate of this.entries) {
        if (candidate[1].leases === 0) {
          victim = candidate;
          break;
        }
      }
      // Every snapshot is in use: the oldest leaves the cache now and is disposed after its last use.
      victim ??= this.entries.entries().next().value as [number, Entry<T>];
      const [position, entry] = victim;
      this.entries.delete(position);
      entry.evicted = true;
      if (entry.leases === 0) unused.push(entry);
    }
    return unused;
  }

  private async dispose(entry: Entry<T>): Promise<void> {
    // Unleased entries are built: a build in progress always has the lease of whoever started it.
    const value = await entry.ready;
    this.counters.disposals += 1;
    await this.options.dispose(value);
  }
}
