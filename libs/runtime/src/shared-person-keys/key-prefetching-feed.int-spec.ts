import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type StoredEvent } from '@ihl/event-store';
import { KeyPrefetchingFeed } from './key-prefetching-feed';

// The feed as the read models see it with shared keys, on a real SQLite store: every event handed
// over once and in order, each page's persons asked for before any of its events, caught-up told
// after the last event, and an error of the handler ends it.

const profile = (n: number) => ({
  eventId: randomUUID(),
  type: 'PersonProfileRecorded',
  data: { pseudonym: `p1_${n}`, keyVersion: 1, sealed: 'v1.x' },
});

describe('KeyPrefetchingFeed (SQLite)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-prefetch-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    for (let i = 0; i < 25; i++) await store.append(`person-${i}`, [profile(i)], 'no_stream');
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands each event over in order after its page was prefetched, then says caught up', async () => {
    const log: string[] = [];
    const feed = new KeyPrefetchingFeed(store, (p) => log.push(`fetch ${p.join(',')}`), 10);
    const seen: StoredEvent[] = [];
    const sub = feed.subscribeToAll({
      onEvent: (e) => {
        log.push(`event ${(e.data as { pseudonym: string }).pseudonym}`);
        seen.push(e);
      },
      onCaughtUp: () => log.push('caught up'),
    });
    const deadline = Date.now() + 30_000;
    while (!log.includes('caught up') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await sub.close();
    expect(seen.map((e) => e.position)).toEqual((await store.readAll()).map((e) => e.position));
    expect(log[log.length - 1]).toBe('caught up');
    const fetches = log.filter((l) => l.startsWith('fetch'));
    expect(fetches.length).toBeLessThan(25);
    // Every person was asked for before its event was handed over.
    for (let i = 0; i < 25; i++) {
      const asked = log.findIndex((l) => l.startsWith('fetch') && l.split(/[ ,]/).includes(`p1_${i}`));
      expect(asked).toBeGreaterThanOrEqual(0);
      expect(asked).toBeLessThan(log.indexOf(`event p1_${i}`));
    }
  });

  it('a page read through readAll is prefetched once; a failing handler ends the subscription with its error', async () => {
    const asked: string[][] = [];
    const feed = new KeyPrefetchingFeed(store, (p) => asked.push([...p]), 10);
    expect(await feed.readAll({ maxCount: 5 })).toHaveLength(5);
    expect(asked).toEqual([['p1_0', 'p1_1', 'p1_2', 'p1_3', 'p1_4']]);
    const error = await new Promise<Error>((resolve) => {
      const sub = feed.subscribeToAll({
        onEvent: () => {
          throw new Error('projection broke');
        },
        onError: (e) => {
          void sub.close();
          resolve(e);
        },
      });
    });
    expect(error.message).toBe('projection broke');
  });
});
