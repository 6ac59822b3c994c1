import { KeyDurability } from './key-durability';

describe('KeyDurability', () => {
  it('needs no sync when no key was used since the last one', async () => {
    const sync = jest.fn();
    await new KeyDurability(sync).whenDurable();
    expect(sync).not.toHaveBeenCalled();
  });

  it('gives the callers of one turn one sync, and none for persons synced before', async () => {
    const sync = jest.fn();
    const d = new KeyDurability(sync);
    d.used('a');
    d.used('b');
    await Promise.all([d.whenDurable(), d.whenDurable(), d.whenDurable()]);
    expect(sync).toHaveBeenCalledTimes(1);
    d.used('a');
    await d.whenDurable();
    expect(sync).toHaveBeenCalledTimes(1);
    d.used('c');
    await d.whenDurable();
    expect(sync).toHaveBeenCalledTimes(2);
  });

  it('refuses the waiters of a failed sync and keeps their persons unsynced', async () => {
    let fail = true;
    const sync = jest.fn(() => {
      if (fail) throw new Error('disk full');
    });
    const d = new KeyDurability(sync);
    d.used('a');
    await expect(d.whenDurable()).rejects.toThrow('disk full');
    fail = false;
    await d.whenDurable();
    expect(sync).toHaveBeenCalledTimes(2);
  });

  it('syncs at once for whoever waits when settled (before the file closes)', async () => {
    const sync = jest.fn();
    const d = new KeyDurability(sync);
    d.used('a');
    const waiting = d.whenDurable();
    d.settle();
    expect(sync).toHaveBeenCalledTimes(1);
    await waiting;
  });

  it('forgets the persons it knew as durable past 100,000, so it asks for a sync again rather than grow', async () => {
    const sync = jest.fn();
    const d = new KeyDurability(sync);
    for (let i = 0; i < 100_000; i++) d.used(`p${i}`);
    await d.whenDurable();
    d.used('p0');
    await d.whenDurable();
    expect(sync).toHaveBeenCalledTimes(1);
    d.used('one-more');
    await d.whenDurable();
    d.used('p0');
    await d.whenDurable();
    expect(sync).toHaveBeenCalledTimes(3);
  });

  describe('with a sync that runs off the event loop', () => {
    /** A sync the test finishes by hand: how a fsync in the thread pool looks to the event loop. */
    const manualSync = () => {
      const pending: (() => void)[] = [];
      const sync = jest.fn(() => new Promise<void>((resolve) => pending.push(resolve)));
      const finish = async () => {
        while (pending.length === 0) await new Promise((r) => setImmediate(r));
        pending.shift()!();
      };
      return { sync, finish };
    };
    const settled = (p: Promise<void>) => {
      let done = false;
      void p.then(() => (done = true));
      return () => done;
    };

    it('answers nobody before the sync that covers their keys has finished', async () => {
      const { sync, finish } = manualSync();
      const d = new KeyDurability(sync);
      d.used('a');
      const first = settled(d.whenDurable());
      while (sync.mock.calls.length === 0) await new Promise((r) => setImmediate(r));
      // 'a' was taken by the running sync: a caller who used it still waits for that sync to finish.
      const second = settled(d.whenDurable());
      await new Promise((r) => setImmediate(r));
      expect([first(), second()]).toEqual([false, false]);
      await finish();
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      expect([first(), second()]).toEqual([true, true]);
      expect(sync).toHaveBeenCalledTimes(1);
    });

    it('gives the callers who came while a sync ran one next sync for their new keys', async () => {
      const { sync, finish } = manualSync();
      const d = new KeyDurability(sync);
      d.used('a');
      const first = d.whenDurable();
      while (sync.mock.calls.length === 0) await new Promise((r) => setImmediate(r));
      d.used('b');
      d.used('c');
      const later = Promise.all([d.whenDurable(), d.whenDurable()]);
      await finish();
      await first;
      await finish();
      await later;
      expect(sync).toHaveBeenCalledTimes(2);
      d.used('b');
      await d.whenDurable();
      expect(sync).toHaveBeenCalledTimes(2);
    });

    it('settles the running sync and the waiting callers with one blocking sync before the file closes', async () => {
      const { sync } = manualSync();
      const blocking = jest.fn();
      const d = new KeyDurability(sync, blocking);
      d.used('a');
      const first = d.whenDurable();
      while (sync.mock.calls.length === 0) await new Promise((r) => setImmediate(r));
      d.used('b');
      const second = d.whenDurable();
      d.settle();
      expect(blocking).toHaveBeenCalledTimes(1);
      await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    });
  });
});
