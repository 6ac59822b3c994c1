import { SnapshotCache } from './snapshot-cache';

interface Snap {
  readonly position: number;
  closed: boolean;
}

/** A cache of plain snapshots whose builds finish when the test says so. */
function cacheOf(capacity: number) {
  const disposed: number[] = [];
  const pending = new Map<number, { resolve: (s: Snap) => void; reject: (e: Error) => void }[]>();
  const cache = new SnapshotCache<Snap>({
    capacity,
    build: (position) =>
      new Promise<Snap>((resolve, reject) => {
        pending.set(position, [...(pending.get(position) ?? []), { resolve, reject }]);
      }),
    dispose: async (s) => {
      s.closed = true;
      disposed.push(s.position);
    },
  });
  const finish = (position: number, error?: Error) => {
    for (const p of pending.get(position) ?? []) {
      if (error) p.reject(error);
      else p.resolve({ position, closed: false });
    }
    pending.delete(position);
  };
  /** A lease at once: starts the build if needed and finishes it. */
  const lease = async (position: number) => {
    const acquired = cache.acquire(position);
    finish(position);
    return acquired;
  };
  return { cache, disposed, finish, lease };
}

describe('SnapshotCache', () => {
  it('builds a position once for concurrent requests, and serves it from memory afterwards', async () => {
    const { cache, finish } = cacheOf(4);
    const asked = [cache.acquire(7), cache.acquire(7), cache.acquire(7)];
    expect(cache.stats()).toMatchObject({ builds: 1, hits: 2 });
    finish(7);
    const leases = await Promise.all(asked);
    expect(new Set(leases.map((l) => l.value)).size).toBe(1);
    for (const l of leases) await l.release();
    const again = await cache.acquire(7);
    expect(again.value).toBe(leases[0]!.value);
    expect(cache.stats()).toEqual({ builds: 1, hits: 3, disposals: 0, cached: 1 });
    await again.release();
  });

  it('evicts the least recently used snapshot that nobody holds', async () => {
    const { cache, disposed, lease } = cacheOf(2);
    const held = await lease(1);
    await (await lease(2)).release();
    await (await lease(3)).release();
    // 1 is the oldest, but held: 2 goes.
    expect(disposed).toEqual([2]);
    expect(held.value.closed).toBe(false);
    await held.release();
    expect(disposed).toEqual([2]);
    // Using 1 again makes 3 the least recently used.
    await (await cache.acquire(1)).release();
    await (await lease(4)).release();
    expect(disposed).toEqual([2, 3]);
    expect(cache.stats()).toEqual({ builds: 4, hits: 1, disposals: 2, cached: 2 });
  });

  it('when every snapshot is held, the oldest leaves the cache and is disposed only at its last release', async () => {
    const { cache, disposed, lease } = cacheOf(2);
    const a1 = await lease(1);
    const a2 = await cache.acquire(1);
    const b = await lease(2);
    const c = await lease(3);
    expect(cache.stats().cached).toBe(2);
    expect(disposed).toEqual([]);
    await a1.release();
    await a1.release(); // a second release of the same lease changes nothing
    expect(a2.value.closed).toBe(false);
    await a2.release();
    expect(disposed).toEqual([1]);
    expect(a2.value.closed).toBe(true);
    // 1 left the cache: asking again builds it anew.
    const fresh = await lease(1);
    expect(fresh.value).not.toBe(a2.value);
    expect(cache.stats().builds).toBe(4);
    for (const l of [b, c, fresh]) await l.release();
  });

  it('does not keep a failed build: the next request builds again', async () => {
    const { cache, finish, lease } = cacheOf(2);
    const first = cache.acquire(5);
    const second = cache.acquire(5);
    finish(5, new Error('store closed'));
    await expect(first).rejects.toThrow('store closed');
    await expect(second).rejects.toThrow('store closed');
    expect(cache.stats().cached).toBe(0);
    const ok = await lease(5);
    expect(ok.value.position).toBe(5);
    expect(cache.stats().builds).toBe(2);
    await ok.release();
  });

  it('clear disposes unheld snapshots now and held ones at release', async () => {
    const { cache, disposed, lease } = cacheOf(4);
    const held = await lease(1);
    await (await lease(2)).release();
    await cache.clear();
    expect(disposed).toEqual([2]);
    expect(cache.stats().cached).toBe(0);
    await held.release();
    expect(disposed).toEqual([2, 1]);
  });
});
