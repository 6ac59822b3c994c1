import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from './sqlite-event-store';

describe('SqliteEventStore with unsyncedUntilClose (a simulated demo log)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ihl-unsynced-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const event = (i: number) => ({
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: 'T',
    data: { i },
  });

  it('leaves every event in the database file itself after close, the WAL emptied', async () => {
    const file = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ file, unsyncedUntilClose: true });
    for (let i = 1; i <= 50; i++) await store.append(`s-${i % 5}`, [event(i)], 'any');
    await store.close();
    // Checkpointed and truncated: nothing is left only in the WAL.
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('select count(*) as n from events').get()).toEqual({ n: 50 });
    } finally {
      db.close();
    }
  });
});
