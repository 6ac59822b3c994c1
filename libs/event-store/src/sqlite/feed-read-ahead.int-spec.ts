import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import * as ts from 'typescript';
import Database from 'better-sqlite3';
import type { NewEvent, StoredEvent } from '../event-store.port';
import { EVENT_COLUMNS, type EventRow } from './event-row.mapping';
import { FeedReadAhead } from './feed-read-ahead';
import { SqliteEventStore } from './sqlite-event-store';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Only this feature's warnings: anything else Node or a library may warn about meanwhile is not ours. */
const readAheadWarnings = (spy: jest.SpyInstance) =>
  spy.mock.calls.filter((c: unknown[]) => c[1] === 'FeedReadAheadWarning');

async function until(check: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 20_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Every event a subscription hands over until it is caught up, as plain JSON. */
async function replay(store: SqliteEventStore): Promise<unknown[]> {
  const seen: StoredEvent[] = [];
  let caughtUp = false;
  const sub = store.subscribeToAll({ onEvent: (e) => void seen.push(e), onCaughtUp: () => (caughtUp = true) });
  await until(() => caughtUp, 'catch-up');
  await sub.close();
  return JSON.parse(JSON.stringify(seen)) as unknown[];
}

// Texts of the seeds (Lithuanian, Bulgarian), an emoji (four UTF-8 bytes, a surrogate pair in JS),
// and JSON escapes: the ring carries UTF-8 bytes, so multi-byte characters must survive slot ends.
const TEXTS = ['Pagalba į namus', 'Интегрирани здравно-социални услуги', 'žmonės 👩‍🦽', 'quote " \\ \n tab \t', 'x'];

function ev(i: number, size = 0): NewEvent {
  return {
    eventId: randomUUID(),
    type: i % 7 === 0 ? 'ПроверкаŽ' : 'ServiceDelivered',
    data: { i, note: TEXTS[i % TEXTS.length]!, pad: 'ą'.repeat(size) },
    metadata: { actor: `user-${i % 3}`, correlationId: `c-${i}` },
  };
}

describe('SQLite feed read-ahead (second thread, shared ring)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-ahead-'));
    file = join(dir, 'events.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function fill(store: SqliteEventStore): Promise<void> {
    // ~2.5 MB of events: several 256 KiB slots; one event larger than a slot, five that fill one each;
    // streams of every length, over many appends.
    for (let b = 0; b < 40; b++)
      await store.appendMany(
        Array.from({ length: 10 }, (_, s) => ({
          streamId: `stream-${b}-${s}-${'ž'.repeat(s)}`,
          events: Array.from({ length: 10 }, (_, k) => {
            const i = b * 100 + s * 10 + k;
            // 1717: larger than a slot; 3000-3004: each alone fills most of one.
            return ev(i, i === 1717 ? 300_000 : i >= 3000 && i < 3005 ? 80_000 : (i * 37) % 900);
          }),
          expectedRevision: 'no_stream' as const,
        })),
      );
  }

  it('hands over exactly the events the main-thread feed hands over, in order, fields and all', async () => {
    const writer = new SqliteEventStore({ file });
    await fill(writer);
    await writer.close();
    const ahead = new SqliteEventStore({ file, readAheadFrom: 1 });
    const main = new SqliteEventStore({ file, readAheadFrom: 0 });
    // A reader that failed would leave the main thread to read: nothing to compare then.
    const warn = jest.spyOn(process, 'emitWarning');
    const [viaRing, viaMain] = [await replay(ahead), await replay(main)];
    expect(readAheadWarnings(warn)).toEqual([]);
    warn.mockRestore();
    expect(viaRing).toHaveLength(4000);
    expect(viaRing).toEqual(viaMain);
    expect(viaRing).toEqual(JSON.parse(JSON.stringify(await main.readAll({ maxCount: 10_000 }))));
    // The slot-sized event went through the caller's own read.
    expect((viaRing[1717] as { data: { pad: string } }).data.pad).toHaveLength(300_000);
    await ahead.close();
    await main.close();
  });

  it('starts after the checkpoint and goes on live once the read-ahead part is handed over', async () => {
    const store = new SqliteEventStore({ file, readAheadFrom: 1, pollIntervalMs: 20 });
    await fill(store);
    const positions: number[] = [];
    let caughtUpAt = -1;
    const sub = store.subscribeToAll({
      after: 1000,
      onEvent: (e) => void positions.push(e.position),
      onCaughtUp: (p) => (caughtUpAt = p),
    });
    await until(() => caughtUpAt > 0, 'catch-up');
    await store.append('later', [ev(1), ev(2)], 'no_stream');
    await until(() => positions.length === 3002, 'live events');
    expect(caughtUpAt).toBe(4000);
    expect(positions).toEqual(Array.from({ length: 3002 }, (_, k) => 1001 + k));
    await sub.close();
    await store.close();
  });

  it('close() in the middle of a replay stops it: no event after close resolves, store closes', async () => {
    const store = new SqliteEventStore({ file, readAheadFrom: 1 });
    await fill(store);
    let seen = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const sub = store.subscribeToAll({
      onEvent: async () => {
        if (++seen === 500) await held;
      },
    });
    await until(() => seen === 500, 'the 500th event');
    // close() while the 500th event's handler runs: it ends, and nothing after it is handed over.
    const closing = sub.close();
    release();
    await closing;
    await sleep(50);
    expect(seen).toBe(500);
    await store.close();
  });

  it('a handler error stops the subscription with that error, after the reader was stopped', async () => {
    const store = new SqliteEventStore({ file, readAheadFrom: 1 });
    await fill(store);
    const order: string[] = [];
    const close = FeedReadAhead.prototype.close;
    const closeSpy = jest.spyOn(FeedReadAhead.prototype, 'close').mockImplementation(async function (
      this: FeedReadAhead,
    ) {
      await close.call(this);
      order.push('reader closed');
    });
    let seen = 0;
    store.subscribeToAll({
      onEvent: () => {
        if (++seen === 1234) throw new Error('projection broke at 1234');
      },
      onError: (e) => void order.push(e.message),
    });
    await until(() => order.length >= 2, 'the error');
    closeSpy.mockRestore();
    expect(order).toEqual(['reader closed', 'projection broke at 1234']);
    expect(seen).toBe(1234);
    await store.close();
  });

  it('when the reader thread cannot read, the feed reads on itself from where it got to, and warns', async () => {
    const store = new SqliteEventStore({ file, readAheadFrom: 1 });
    await fill(store);
    // The store keeps its open connection; the reader thread opens the file by name and fails.
    const moved = `${file}.moved`;
    renameSync(file, moved);
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const positions: number[] = [];
    let caughtUp = false;
    const sub = store.subscribeToAll({
      onEvent: (e) => void positions.push(e.position),
      onCaughtUp: () => (caughtUp = true),
    });
    await until(() => caughtUp, 'catch-up');
    renameSync(moved, file);
    expect(readAheadWarnings(warn)).toEqual([
      [expect.stringMatching(/^feed read-ahead stopped at position 0: /), 'FeedReadAheadWarning'],
    ]);
    expect(String(warn.mock.calls[0]![0])).toMatch(/unable to open|does not exist/i);
    warn.mockRestore();
    expect(positions).toEqual(Array.from({ length: 4000 }, (_, k) => k + 1));
    await sub.close();
    await store.close();
  });

  it('a process whose only work is a replay does not exit while the feed waits for the reader thread', async () => {
    const store = new SqliteEventStore({ file });
    await fill(store);
    await store.close();
    // Plain node on the store compiled to JavaScript, as the built app runs it: a loader (tsx) would keep
    // the process alive by itself. Nothing but the subscription: no timer, no server.
    const out = join(__dirname, '../../../../.tmp', `replay-only-${process.pid}`);
    const src = join(__dirname, '..');
    for (const f of localModulesOf(src, 'sqlite/sqlite-event-store')) {
      const js = ts.transpileModule(readFileSync(join(src, `${f}.ts`), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      mkdirSync(dirname(join(out, f)), { recursive: true });
      writeFileSync(join(out, `${f}.js`), js);
    }
    const script = `const { SqliteEventStore } = require('./sqlite/sqlite-event-store');
      const store = new SqliteEventStore({ file: ${JSON.stringify(file)}, readAheadFrom: 1 });
      let n = 0;
      store.subscribeToAll({ onEvent: () => void n++, onCaughtUp: () => { console.log('delivered ' + n); void store.close(); } });`;
    writeFileSync(join(out, 'replay-only.js'), script);
    // Several runs: whether the feed is waiting at a moment nothing else is pending is a matter of timing.
    const runs = Array.from({ length: 4 }, () =>
      spawnSync(process.execPath, [join(out, 'replay-only.js')], { encoding: 'utf8', timeout: 60_000 }),
    );
    rmSync(out, { recursive: true, force: true });
    expect(runs.map((r) => [r.status, r.stderr, r.stdout.trim()])).toEqual(Array(4).fill([0, '', 'delivered 4000']));
  });

  it('FeedReadAhead alone: rows in order up to the bound, then null; a missing file is a failure, not a throw', async () => {
    const store = new SqliteEventStore({ file });
    await fill(store);
    await store.close();
    const db = new Database(file, { readonly: true });
    const asked: number[] = [];
    const rowAt = db.prepare<[number], EventRow>(`select ${EVENT_COLUMNS} from events where position = ?`).raw(true);
    const ids = db.prepare<[number], string>('select event_id from events where position = ?').pluck();
    const ahead = new FeedReadAhead(
      file,
      10,
      2500,
      [
        [10, ids.get(10)!],
        [2500, ids.get(2500)!],
      ],
      (p) => (asked.push(p), rowAt.get(p)!),
    );
    const rows: EventRow[] = [];
    for (let slot; (slot = await ahead.next()) !== null;) rows.push(...slot);
    await ahead.close();
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 2490 }, (_, k) => k + 11));
    // Only the event larger than a slot was read by the caller; every row equals the table's.
    expect(asked).toEqual([1718]);
    expect(rows).toEqual(
      db.prepare(`select ${EVENT_COLUMNS} from events where position > 10 and position <= 2500`).raw(true).all(),
    );
    expect(ahead.failure).toBeNull();

    const unreachable = () => {
      throw new Error('unreachable');
    };
    const missing = new FeedReadAhead(join(dir, 'nothing-here.sqlite'), 0, 10, [], unreachable);
    expect(await missing.next()).toBeNull();
    expect(missing.failure).toMatch(/unable to open|does not exist/i);
    await missing.close();

    // Another database in the store's place (a restore, a moved file): refused before any row.
    const other = new FeedReadAhead(file, 0, 10, [[10, 'not-this-id']], unreachable);
    expect(await other.next()).toBeNull();
    expect(other.failure).toMatch(/is not the database the store has open/);
    await other.close();

    // A reader that dies without a word: the slots it published are handed over, then null.
    const dying = new FeedReadAhead(file, 0, 4000, [], (p) => rowAt.get(p)!);
    await until(() => (dying as unknown as { ctrl: Int32Array }).ctrl[0]! >= 8, 'a full ring');
    await (dying as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const got: number[] = [];
    for (let slot; (slot = await dying.next()) !== null;) got.push(...slot.map((r) => r[0]));
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(Array.from({ length: got.length }, (_, k) => k + 1));
    expect(dying.failure).toBe('the reader thread stopped');
    await dying.close();
    db.close();
  });

  it('a reader that fails in the middle: the feed reads on from the last slot it handed over, each event once', async () => {
    const store = new SqliteEventStore({ file, readAheadFrom: 1 });
    for (let b = 0; b < 20; b++)
      await store.appendMany(
        Array.from({ length: 10 }, (_, s) => ({
          streamId: `a-${b}-${s}`,
          events: Array.from({ length: 10 }, (_, k) => ev(b * 100 + s * 10 + k, 500)),
          expectedRevision: 'no_stream' as const,
        })),
      );
    // A row the reader cannot copy (data stored as a BLOB): the main thread's read still can.
    const raw = new Database(file);
    raw
      .prepare(
        "insert into events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at) values ('blob', 0, ?, 'Odd', 1, x'7b7d', '{}', '2026-12-05T00:00:00.000Z')",
      )
      .run(randomUUID());
    raw.close();
    for (let b = 0; b < 20; b++)
      await store.append(
        `b-${b}`,
        Array.from({ length: 100 }, (_, k) => ev(k, 500)),
        'no_stream',
      );
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const seen: StoredEvent[] = [];
    let caughtUp = false;
    const sub = store.subscribeToAll({ onEvent: (e) => void seen.push(e), onCaughtUp: () => (caughtUp = true) });
    await until(() => caughtUp, 'catch-up');
    const warnings = readAheadWarnings(warn);
    warn.mockRestore();
    expect(seen.map((e) => e.position)).toEqual(Array.from({ length: 4001 }, (_, k) => k + 1));
    expect(seen[2000]!.data).toEqual({});
    expect(warnings).toHaveLength(1);
    const resumedAt = Number(/at position (\d+):/.exec(String(warnings[0]![0]))![1]);
    // It got past the first slots before failing, and resumed before the odd row.
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(2000);
    await sub.close();
    await store.close();
  });

  it('events appended while the read-ahead runs come after it, each once', async () => {
    const store = new SqliteEventStore({ file, readAheadFrom: 1, pollIntervalMs: 20 });
    await fill(store);
    const positions: number[] = [];
    let caughtUp = false;
    const sub = store.subscribeToAll({
      onEvent: (e) => {
        positions.push(e.position);
        // Appended during the replay, beyond the bound the reader was given.
        if (e.position === 1 || e.position === 2500) void store.append(`during-${e.position}`, [ev(9)], 'no_stream');
      },
      onCaughtUp: () => (caughtUp = true),
    });
    await until(() => caughtUp && positions.length >= 4002, 'the appended events');
    await store.append('after', [ev(10)], 'no_stream');
    await until(() => positions.length === 4003, 'a live event');
    expect(positions).toEqual(Array.from({ length: 4003 }, (_, k) => k + 1));
    await sub.close();
    await store.close();
  });
});

/** A module and every module of this library it imports, found by its relative import specifiers. */
function localModulesOf(src: string, entry: string): string[] {
  const found = new Set<string>([entry]);
  for (const f of found) {
    const text = readFileSync(join(src, `${f}.ts`), 'utf8');
    for (const [, spec] of text.matchAll(/from '(\.\.?\/[^']+)'/g))
      found.add(posix.normalize(posix.join(posix.dirname(f), spec!)));
  }
  return [...found];
}
