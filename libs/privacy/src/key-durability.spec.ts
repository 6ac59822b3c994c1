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
});
