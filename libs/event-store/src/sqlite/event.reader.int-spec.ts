import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { JsonValue, NewEvent, StoredEvent } from '../event-store.port';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './event-row.mapping';
import { SqliteEventReader } from './event.reader';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * Streams and pages of the log are rendered as JSON by SQLite and parsed once per event: what comes
 * back must be exactly what the row-by-row mapping (the feed's) makes of the same rows, whatever
 * the strings hold.
 */
describe('SqliteEventReader: events rendered by SQLite', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-reader-'));
    file = join(dir, 'events.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const awkward = [
    'quote " and backslash \\ and slash /',
    'control \u0000 \u0001 \u001f tab \t newline \n return \r',
    'Molėtai, Anykščiai, Šiauliai ąčęėįšųūž',
    'separators \u2028 \u2029, emoji 🧾, lone-looking \\u0041',
    '',
  ];
  const eventOf = (i: number, text: string): NewEvent => ({
    eventId: randomUUID(),
    type: `Type ${text}`.slice(0, 80) || 'T',
    schemaVersion: 1 + (i % 3),
    data: { text, n: i, big: 9007199254740991, neg: -0.5, exp: 1e21, list: [null, true, false, [text]], empty: {} },
    metadata: { actor: { subject: text }, note: text },
  });

  function rowsOf(where: string): StoredEvent[] {
    const db = new Database(file, { readonly: true });
    try {
      return db
        .prepare<[], EventRow>(`select ${EVENT_COLUMNS} from events ${where}`)
        .raw(true)
        .all()
        .map(toStoredEvent);
    } finally {
      db.close();
    }
  }

  it('reads streams and pages of the log exactly as the row mapping does, awkward strings included', async () => {
    const store = new SqliteEventStore({ file });
    const streams = awkward.map((t, i) => `stream ${t} ${i}`.slice(0, 200));
    for (let round = 0; round < 2; round++)
      for (let i = 0; i < awkward.length; i++)
        await store.append(streams[i]!, [eventOf(i, awkward[i]!), eventOf(i + 10, awkward[(i + 1) % 5]!)], 'any');
    // A row whose JSON was stored by another writer with spacing: it is parsed, not copied.
    const db = new Database(file);
    db.prepare(
      `insert into events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at)
       values ('spaced', 0, ?, 'Spaced', 1, ' { "a" : [ 1 , 2 ] } ', ' { } ', '2026-01-01T00:00:00.000Z')`,
    ).run(randomUUID());
    db.close();

    const all = rowsOf('order by position');
    expect(all).toHaveLength(21);
    expect(await store.readAll()).toEqual(all);
    expect(await store.readAll({ direction: 'backwards' })).toEqual([...all].reverse());
    expect(await store.readAll({ after: 3, maxCount: 5 })).toEqual(all.slice(3, 8));
    expect(await store.readAll({ direction: 'backwards', before: 9, maxCount: 4 })).toEqual(all.slice(4, 8).reverse());
    for (const s of [...streams, 'spaced']) {
      const own = all.filter((e) => e.streamId === s);
      expect(await store.readStream(s)).toEqual(own);
      expect(await store.readStream(s, { direction: 'backwards', maxCount: 2 })).toEqual(own.slice(-2).reverse());
    }
    const spaced = all.find((e) => e.streamId === 'spaced')!;
    expect(spaced.data).toEqual({ a: [1, 2] } satisfies JsonValue);
    // The same text as before the change, byte for byte, once serialised (keys in the same order).
    const first = (await store.readStream(streams[1]!))[0]!;
    expect(JSON.stringify(first)).toBe(JSON.stringify(all.find((e) => e.streamId === streams[1])));
    expect(first.data).toMatchObject({ text: awkward[1], big: 9007199254740991, exp: 1e21 });
    await store.close();
  });

  it('reads past its pages of 256 the same as in one query, every direction and bound', async () => {
    const store = new SqliteEventStore({ file });
    for (let i = 0; i < 3; i++)
      await store.append(
        'long',
        Array.from({ length: 250 }, (_, k) => eventOf(k, `e${i * 250 + k}`)),
        'any',
      );
    await store.append('other', [eventOf(0, 'x')], 'any');
    const all = rowsOf('order by position');
    const long = all.filter((e) => e.streamId === 'long');
    expect(long).toHaveLength(750);
    expect(await store.readStream('long')).toEqual(long);
    expect(await store.readStream('long', { fromRevision: 255, maxCount: 513 })).toEqual(long.slice(255, 768));
    expect(await store.readStream('long', { direction: 'backwards' })).toEqual([...long].reverse());
    expect(await store.readStream('long', { direction: 'backwards', fromRevision: 600, maxCount: 300 })).toEqual(
      long.slice(301, 601).reverse(),
    );
    expect(await store.readStream('long', { maxCount: 256 })).toEqual(long.slice(0, 256));
    expect(await store.readStream('long', { maxCount: 0 })).toEqual([]);
    expect(await store.readAll()).toEqual(all);
    expect(await store.readAll({ after: 100, maxCount: 512 })).toEqual(all.slice(100, 612));
    expect(await store.readAll({ direction: 'backwards', before: 700 })).toEqual(all.slice(0, 699).reverse());
    await store.close();
  });
});

/**
 * A read of several pages returns one state of the file. Another connection commits between the reader's pages: it appends to the stream and
 * rewrites every row's metadata (as an erasure's metadata rewrite does), one generation per page read.
 */
describe('SqliteEventReader: one snapshot per read', () => {
  let dir: string;
  let file: string;
  let db: Database.Database;
  let other: Database.Database;
  let reader: SqliteEventReader;
  /** Whether the reader's connection was inside a transaction after each query it ran. */
  let inTransaction: boolean[];
  let generation: number;

  const eventOf = (n: number): NewEvent => ({ eventId: randomUUID(), type: 'Counted', data: { n } });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-reader-snapshot-'));
    file = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ file });
    for (let i = 0; i < 3; i++)
      await store.append(
        'long',
        Array.from({ length: 200 }, (_, k) => eventOf(i * 200 + k)),
        'any',
      );
    await store.append('short', [eventOf(0), eventOf(1)], 'no_stream');
    await store.close();
    other = new Database(file);
    other.pragma('busy_timeout = 5000');
    db = new Database(file);
    db.pragma('busy_timeout = 5000');
    inTransaction = [];
    generation = 0;
    const prepare = db.prepare.bind(db);
    // Each query of the reader's, then the other connection's commit, before the next page is read.
    jest.spyOn(db, 'prepare').mockImplementation((source: string) => {
      const stmt = prepare(source);
      const all = stmt.all.bind(stmt);
      jest.spyOn(stmt, 'all').mockImplementation((...params) => {
        const rows = all(...params);
        inTransaction.push(db.inTransaction);
        commitElsewhere();
        return rows;
      });
      return stmt;
    });
    reader = new SqliteEventReader(db);
  });
  afterEach(() => {
    db.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function commitElsewhere(): void {
    generation++;
    other.transaction(() => {
      other
        .prepare("update events set metadata = json_set(metadata, '$.generation', ?) where stream_id = 'long'")
        .run(generation);
      other
        .prepare(
          `insert into events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at)
           select 'long', max(revision) + 1, ?, 'Counted', 1, '{}', json_object('generation', ?), ?
           from events where stream_id = 'long'`,
        )
        .run(randomUUID(), generation, new Date().toISOString());
    })();
  }

  /** One state of the file: every event of the same generation, and as many as that generation had. */
  function expectOneSnapshot(events: StoredEvent[], ordered: 'forwards' | 'backwards'): void {
    const generations = new Set(events.map((e) => e.metadata['generation'] ?? 0));
    expect([...generations]).toHaveLength(1);
    const [seen] = generations;
    expect(events).toHaveLength(600 + Number(seen));
    const revisions = events.map((e) => e.revision);
    const expected = revisions.map((_, i) => i);
    expect(revisions).toEqual(ordered === 'forwards' ? expected : expected.reverse());
  }

  it('reads a stream of several pages from one snapshot while another connection commits between them', () => {
    expectOneSnapshot(reader.readStream('long', {}), 'forwards');
    expect(inTransaction.length).toBeGreaterThan(1);
    expect(inTransaction.every(Boolean)).toBe(true);
    expectOneSnapshot(reader.readStream('long', { direction: 'backwards' }), 'backwards');
  });

  it('reads the log of several pages from one snapshot while another connection commits between them', () => {
    const all = reader.readAll({}).filter((e) => e.streamId === 'long');
    expectOneSnapshot(all, 'forwards');
    expectOneSnapshot(
      reader.readAll({ direction: 'backwards' }).filter((e) => e.streamId === 'long'),
      'backwards',
    );
  });
});
