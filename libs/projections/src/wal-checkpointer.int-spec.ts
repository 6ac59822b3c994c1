import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@ihl/event-store';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { WalCheckpointer } from './wal-checkpointer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 20_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('WAL checkpoints on a second thread during a bulk replay', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ihl-ckpt-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies committed WAL frames into the database file while the writer goes on; stop() leaves no lock', async () => {
    const file = join(dir, 'models.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('create table t (id integer primary key, v text)');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(file).size;
    const insert = db.prepare('insert into t (v) values (?)');
    const checkpointer = new WalCheckpointer(file, 5);
    for (let tx = 0; tx < 20; tx++)
      db.transaction(() => {
        for (let i = 0; i < 200; i++) insert.run('x'.repeat(200));
      })();
    // A transaction open meanwhile: its pages are not the thread's to copy.
    db.exec('begin');
    insert.run('uncommitted');
    // The writer never checkpointed (autocheckpoint off): the pages in the file were copied by the thread.
    await until(
      () => checkpointer.copied >= 1 && statSync(file).size > before + 20 * 200 * 200,
      'the committed pages in the file',
    );
    db.exec('rollback');
    // true: the thread answered (its connection closed) rather than being terminated; the budget is
    // for a loaded machine, and no duration is asserted.
    expect(checkpointer.stop(10_000)).toBe(true);
    const copied = checkpointer.copied;
    await sleep(50);
    expect(checkpointer.copied).toBe(copied);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 4000 });
    // The last connection to close removes the WAL: the thread's connection is closed already.
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(checkpointer.failure).toBeNull();
  });

  it('a file it cannot open ends the thread: stop() returns at once, nothing was copied, the failure is kept', async () => {
    const checkpointer = new WalCheckpointer(join(dir, 'missing.sqlite'), 5);
    await until(() => checkpointer.failure !== null, 'the failure');
    // The thread has ended already: stop() finds nothing to wait for.
    expect(checkpointer.stop(10_000)).toBe(true);
    expect(checkpointer.copied).toBe(0);
    expect(checkpointer.failure).toMatch(/unable to open|does not exist/i);
  });

  it('the runner checkpoints a bulk replay on the thread, stops it at the end, and truncates the WAL', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    for (let i = 0; i < 300; i++)
      await store.append(`tick-${i}`, [{ eventId: randomUUID(), type: 'Tick', data: { i } }], 'no_stream');
    const pause = new Int32Array(new SharedArrayBuffer(4));
    // ~1 ms per event: the replay lasts long enough for the thread's 100 ms rounds.
    const slow: Projection = {
      name: 'slow',
      version: 1,
      tables: ['slow_events'],
      schema: 'create table if not exists slow_events (position integer primary key, pad text not null)',
      handles: 'all',
      evolve(e, { db }) {
        Atomics.wait(pause, 0, 0, 1);
        db.prepare('insert into slow_events values (?, ?)').run(e.position, 'p'.repeat(2000));
      },
    };
    const stops: number[] = [];
    const stop = WalCheckpointer.prototype.stop;
    const spy = jest.spyOn(WalCheckpointer.prototype, 'stop').mockImplementation(function (this: WalCheckpointer) {
      stops.push(this.copied);
      return stop.call(this);
    });
    const readModels = join(dir, 'models.sqlite');
    const runner = new ProjectionRunner({ store, file: readModels, projections: [slow], batchSize: 10 });
    await runner.start();
    spy.mockRestore();
    expect(stops).toHaveLength(1);
    expect(stops[0]).toBeGreaterThanOrEqual(1);
    expect(statSync(`${readModels}-wal`).size).toBe(0);
    expect(runner.db.prepare('select count(*) as n from slow_events').get()).toEqual({ n: 300 });
    await runner.stop();
    await store.close();
  });

  it('a bulk replay that fails stops the thread too', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    for (let i = 0; i < 20; i++)
      await store.append(`tick-${i}`, [{ eventId: randomUUID(), type: 'Tick', data: { i } }], 'no_stream');
    const failing: Projection = {
      name: 'failing',
      version: 1,
      tables: [],
      schema: '',
      handles: 'all',
      evolve(e) {
        if (e.position === 15) throw new Error('cannot apply 15');
      },
    };
    const spy = jest.spyOn(WalCheckpointer.prototype, 'stop');
    const runner = new ProjectionRunner({ store, file: join(dir, 'models.sqlite'), projections: [failing] });
    await expect(runner.start()).rejects.toThrow('cannot apply 15');
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    await runner.stop();
    await store.close();
  });
});
