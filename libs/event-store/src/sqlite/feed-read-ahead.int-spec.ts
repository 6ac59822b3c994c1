import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';
import Database from 'better-sqlite3';
import type { NewEvent, StoredEvent } from '../event-store.port';
import { FeedReadAhead, type FeedRow } from './feed-read-ahead';
import { SqliteEventStore } from './sqlite-event-store';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    expect(warn).not.toHaveBeenCalled();
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
    const sub = store.subscribeToAll({
      onEvent: async () => {
        seen++;
        if (seen % 100 === 0) await sleep(1);
      },
    });
    await until(() => seen >= 500, 'the first events');
    await sub.close();
    const atClose = seen;
    await sleep(50);
    expect(seen).toBe(atClose);
    expect(seen).toBeLessThan(4000);
    await store.close();
  });

  it('a handler error stops the subscription with that error (the reader is stopped too)', async () => {
    const store = new SqliteEventStore({ file, readAheadFrom: 1 });
    await fill(store);
    const errors: Error[] = [];
    let seen = 0;
    store.subscribeToAll({
      onEvent: () => {
        if (++seen === 1234) throw new Error('projection broke at 1234');
      },
      onError: (e) => void errors.push(e),
    });
    await until(() => errors.length > 0, 'the error');
    expect(errors.map((e) => e.message)).toEqual(['projection broke at 1234']);
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
    expect(warn.mock.calls).toEqual([
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
    for (const f of [
      'event-store.errors',
      'append-validation',
      'sqlite/sqlite-event-store',
      'sqlite/feed-read-ahead',
      'sqlite/sqlite-schema',
      'sqlite/sqlite-version',
    ]) {
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
    const rowAt = db
      .prepare<[number], FeedRow>(
        'select position, stream_id, revision, type, schema_version, data from events where position = ?',
      )
      .raw(true);
    const ahead = new FeedReadAhead(file, 10, 2500, (p) => (asked.push(p), rowAt.get(p)!));
    const rows: FeedRow[] = [];
    for (let slot; (slot = await ahead.next()) !== null;) rows.push(...slot);
    await ahead.close();
    expect(rows.map((r) => r[0])).toEqual(Array.from({ length: 2490 }, (_, k) => k + 11));
    // Only the event larger than a slot was read by the caller; every row equals the table's.
    expect(asked).toEqual([1718]);
    expect(rows).toEqual(
      db
        .prepare(
          'select position, stream_id, revision, type, schema_version, data from events where position > 10 and position <= 2500',
        )
        .raw(true)
        .all(),
    );
    db.close();
    expect(ahead.failure).toBeNull();

    const missing = new FeedReadAhead(join(dir, 'nothing-here.sqlite'), 0, 10, () => {
      throw new Error('unreachable');
    });
    expect(await missing.next()).toBeNull();
    expect(missing.failure).toMatch(/unable to open|does not exist/i);
    await missing.close();
  });
});
