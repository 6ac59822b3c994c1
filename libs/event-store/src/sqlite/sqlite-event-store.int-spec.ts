import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { EventIdConflictError, WrongExpectedRevisionError } from '../event-store.errors';
import type { StoredEvent } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';
import { assertSqliteVersion, compareVersions } from './sqlite-version';

function tempFile(): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ihl-es-'));
  return { dir, file: join(dir, 'events.sqlite') };
}

// Twice: with catch-up read on the main thread (under 20,000 events, as here by default), and with
// every catch-up read by the read-ahead thread.
for (const [name, readAheadFrom] of [
  ['sqlite (file on disk)', undefined],
  ['sqlite (file on disk, read-ahead from the first event)', 1],
] as const)
  describeEventStoreContract(
    name,
    async () => {
      const { dir, file } = tempFile();
      let pinned: Date | null = null;
      const clock = () => pinned ?? new Date();
      const store = new SqliteEventStore({ file, pollIntervalMs: 50, clock, readAheadFrom });
      return {
        store,
        pinClock: (at) => (pinned = at),
        dispose: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    { pinnableClock: true },
  );

describe('SqliteEventStore specifics', () => {
  let dir: string;
  let file: string;
  beforeEach(() => ({ dir, file } = tempFile()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const ev = (type: string) => ({ eventId: randomUUID(), type, data: {} });

  it('opens the file with WAL and synchronous=FULL', async () => {
    const store = new SqliteEventStore({ file });
    await store.append('s-1', [ev('A')], 'no_stream');
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // synchronous is per connection: check the store's own connection.
    const s2 = new SqliteEventStore({ file });
    expect((s2 as unknown as { db: Database.Database }).db.pragma('synchronous', { simple: true })).toBe(2);
    await s2.close();
  });

  it('group commit: concurrent appends share one transaction, each caller gets its own answer', async () => {
    const store = new SqliteEventStore({ file });
    await store.append('shared', [ev('Init')], 'no_stream');
    const before = store.stats();
    const results = await Promise.allSettled([
      ...Array.from({ length: 30 }, (_, i) => store.append(`s-${i}`, [ev('A')], 'no_stream')),
      store.append('shared', [ev('Stale')], 5),
      store.append('shared', [ev('Fresh')], 0),
    ]);
    const after = store.stats();
    expect(after.commits - before.commits).toBe(1);
    expect(after.appends - before.appends).toBe(32);
    expect(after.events - before.events).toBe(31);
    expect(results.slice(0, 30).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[30]).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedRevisionError) });
    expect(results[31]).toMatchObject({ status: 'fulfilled', value: { revision: 1 } });
    const positions = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.position] : []));
    expect(new Set(positions).size).toBe(31);
    await store.close();
  });

  it('a partly stored batch of ids is a conflict and writes nothing', async () => {
    const store = new SqliteEventStore({ file });
    const a = ev('A');
    await store.append('s', [a], 'no_stream');
    await expect(store.append('s', [a, ev('B')], 'any')).rejects.toBeInstanceOf(EventIdConflictError);
    await expect(store.append('s', [ev('C'), a], 'any')).rejects.toBeInstanceOf(EventIdConflictError);
    expect(await store.readStream('s')).toHaveLength(1);
    await store.close();
  });

  // Global uniqueness of event ids is a property of this adapter; EventStoreDB scopes ids to a stream.
  it('refuses an event id already stored in another stream', async () => {
    const store = new SqliteEventStore({ file });
    const e = ev('A');
    await store.append('owner', [e], 'no_stream');
    await expect(store.append('thief', [e], 'any')).rejects.toBeInstanceOf(EventIdConflictError);
    expect(await store.readStream('thief')).toEqual([]);
    await store.close();
  });

  it('a subscription sees events written by another process (another connection)', async () => {
    const reader = new SqliteEventStore({ file, pollIntervalMs: 20 });
    const writer = new SqliteEventStore({ file });
    const seen: string[] = [];
    const sub = reader.subscribeToAll({ onEvent: (e) => void seen.push(e.type) });
    await writer.append('x', [ev('FromElsewhere')], 'no_stream');
    const t0 = Date.now();
    while (seen.length === 0 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['FromElsewhere']);
    await sub.close();
    await reader.close();
    await writer.close();
  });

  it('a feed event reads its id, time and metadata while close() waits for its handler, and after close', async () => {
    const store = new SqliteEventStore({ file });
    const written = { eventId: randomUUID(), type: 'A', data: { n: 1 }, metadata: { correlationId: 'c-7' } };
    await store.append('s-late', [written], 'no_stream');
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let read: unknown = null;
    let event: { eventId: string } | null = null;
    store.subscribeToAll({
      onEvent: async (e) => {
        event = e;
        entered();
        await new Promise((r) => setTimeout(r, 30));
        read = [e.eventId, e.metadata, typeof e.recordedAt];
      },
    });
    await inHandler;
    await store.close();
    expect(read).toEqual([written.eventId, written.metadata, 'string']);
    expect(event).not.toBeNull();
    // An event whose fields were not read before the store closed reads them all the same.
    const reopened = new SqliteEventStore({ file });
    const kept: StoredEvent[] = [];
    reopened.subscribeToAll({ onEvent: (e) => void kept.push(e) });
    while (kept.length === 0) await new Promise((r) => setTimeout(r, 5));
    await reopened.close();
    expect([kept[0]!.eventId, kept[0]!.metadata, typeof kept[0]!.recordedAt]).toEqual(read);
  });

  it('refuses SQLite older than 3.51.3', () => {
    expect(compareVersions('3.53.2', '3.51.3')).toBe(1);
    expect(compareVersions('3.51.3', '3.51.3')).toBe(0);
    expect(compareVersions('3.9.0', '3.51.3')).toBe(-1);
    expect(() => assertSqliteVersion('3.51.2')).toThrow(/3\.51\.2 is too old.*>= 3\.51\.3/);
    expect(() => assertSqliteVersion('3.53.2')).not.toThrow();
  });

  it('headPositionAt is exact however far the clock steps back, through the recorded_at index', async () => {
    let now = new Date('2024-03-01T10:00:00.000Z');
    const store = new SqliteEventStore({ file, clock: () => now });
    const stamps = ['2024-03-01T10:00:00.000Z', '2024-03-02T10:00:00.000Z', '2024-02-01T10:00:00.000Z'];
    const positions: number[] = [];
    for (const [i, stamp] of stamps.entries()) {
      now = new Date(stamp);
      positions.push((await store.append('s', [ev(`E${i}`)], 'any')).position);
    }
    expect(positions).toEqual([1, 2, 3]);
    // The third event claims a month earlier, but follows one stamped 2 March.
    expect(await store.headPositionAt(new Date('2024-02-15T00:00:00Z'))).toBe(0);
    expect(await store.headPositionAt(new Date('2024-03-01T12:00:00Z'))).toBe(1);
    expect(await store.headPositionAt(new Date('2024-03-02T10:00:00Z'))).toBe(3);
    // Instants beyond what toISOString writes in 24 characters are clamped, not compared as text.
    expect(await store.headPositionAt(new Date(Date.UTC(12_000, 0, 1)))).toBe(3);
    expect(await store.headPositionAt(new Date(Date.UTC(-5, 0, 1)))).toBe(0);
    const db = (store as unknown as { db: Database.Database }).db;
    const plan = db
      .prepare(
        'explain query plan select min(position) from events indexed by events_recorded_at where recorded_at > ?',
      )
      .all('2024-03-01') as { detail: string }[];
    expect(plan.map((r) => r.detail)).toEqual([expect.stringContaining('COVERING INDEX events_recorded_at')]);
    await store.close();
  });

  it('adds the recorded_at index to a file made before it existed', async () => {
    const old = new Database(file);
    old.exec(`create table events (
      position integer primary key, stream_id text not null, revision integer not null, event_id text not null unique,
      type text not null, schema_version integer not null, data text not null, metadata text not null,
      recorded_at text not null, unique (stream_id, revision));
      create table streams (stream_id text primary key, revision integer not null) without rowid;`);
    const insert = old.prepare(
      "insert into events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at) values ('s', ?, ?, 'A', 1, '{}', '{}', ?)",
    );
    insert.run(0, randomUUID(), '2024-01-01T08:00:00.000Z');
    insert.run(1, randomUUID(), '2024-01-02T08:00:00.000Z');
    old.prepare("insert into streams values ('s', 1)").run();
    const indexes = (db: Database.Database) =>
      (
        db.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'events'").all() as {
          name: string;
        }[]
      ).map((r) => r.name);
    expect(indexes(old)).not.toContain('events_recorded_at');
    old.close();
    const store = new SqliteEventStore({ file });
    expect(await store.headPositionAt(new Date('2024-01-01T23:59:59.999Z'))).toBe(1);
    await store.close();
    const reopened = new Database(file, { readonly: true });
    expect(indexes(reopened)).toContain('events_recorded_at');
    reopened.close();
  });

  it('keeps every event after close and reopen', async () => {
    const s1 = new SqliteEventStore({ file });
    await Promise.all(Array.from({ length: 50 }, (_, i) => s1.append(`r-${i % 5}`, [ev(`E${i}`)], 'any')));
    await s1.close();
    const s2 = new SqliteEventStore({ file });
    expect(await s2.readAll()).toHaveLength(50);
    expect(await s2.headPosition()).toBe(50);
    await s2.close();
  });
});
