import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ihl/event-store';
import { serviceDelivered } from '../../../test/support/service-delivered';
import { AsOfConnection } from './as-of-read-models';
import { currentReadModelFile } from './read-model-files';
import { ReadModels } from './read-models';

const P = '07-003-P-0001';

const delivered = (activityId: string, pseudonym: string) => serviceDelivered(P, activityId, pseudonym);

describe('as-of answers read on a worker thread', () => {
  let dir: string;
  let store: SqliteEventStore;
  let rm: ReadModels;
  /** Word 0: 0 holds the thread before each answer, 1 lets it go. */
  let gate: Int32Array;
  let connection: AsOfConnection;

  const open = () => {
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-asof-pool-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    // The reference answers read on this thread, as before the threads.
    rm = new ReadModels(store, dir, undefined, 'run', 500, { asOfThreads: 0 });
    for (const [i, who] of ['p1', 'p2', 'p3'].entries())
      await store.append(`activity-a${i + 1}`, [delivered(`a${i + 1}`, who)], 'no_stream');
    await rm.start();
    gate = new Int32Array(new SharedArrayBuffer(4));
    connection = new AsOfConnection(
      currentReadModelFile(dir),
      () => ({ db: connection.db, reached: 3, waitFor: () => Promise.resolve(), stop: () => Promise.resolve() }),
      { threads: 1, gate, shortMs: 0 },
    );
    await connection.pool!.ready;
  }, 60_000);
  afterEach(async () => {
    open();
    connection.close();
    await rm.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const figures = (m: {
    personsReached: ReadModels['personsReached'];
    activityVolumes: ReadModels['activityVolumes'];
  }) => ({
    persons: m.personsReached(P),
    volumes: m.activityVolumes(P),
  });

  it('a live request is answered while an as-of answer is being read', async () => {
    const asOf = connection.readAt(2).offThread(figures);
    let answered = false;
    void asOf.then(() => (answered = true));
    // Live work that needs this thread's event loop: a write, then the read models catching up to it.
    const w = await store.append('activity-a4', [delivered('a4', 'p4')], 'no_stream');
    await rm.waitFor(w.position, 30_000);
    expect(rm.consistently(() => rm.personsReached(P).reached)).toBe(4);
    // The thread is held before it answers, so the as-of answer cannot have come yet.
    expect(answered).toBe(false);
    open();
    const reference = await rm.asOf(2);
    expect(JSON.stringify(await asOf)).toBe(JSON.stringify(reference.consistently(() => figures(reference))));
    expect(connection.pool!.answered).toBeGreaterThan(0);
  }, 60_000);

  it('answers byte for byte as a read on this thread, at every position, and again from the cache', async () => {
    open();
    for (const position of [1, 2, 3, 1, 3]) {
      const reference = await rm.asOf(position);
      const expected = JSON.stringify(reference.consistently(() => figures(reference)));
      expect(JSON.stringify(await connection.readAt(position).offThread(figures))).toBe(expected);
    }
    // Two queries at three positions: each read on the thread once, then kept.
    expect(connection.pool!.answered).toBe(6);
    expect(connection.answers.entries).toBe(6);
  }, 60_000);

  it('a query that lately read fast is read on this thread, the same answer', async () => {
    open();
    const quick: AsOfConnection = new AsOfConnection(
      currentReadModelFile(dir),
      () => ({ db: quick.db, reached: 3, waitFor: () => Promise.resolve(), stop: () => Promise.resolve() }),
      { threads: 1, shortMs: 60_000 },
    );
    try {
      await quick.pool!.ready;
      const persons = (m: { personsReached: ReadModels['personsReached'] }) => m.personsReached(P);
      // Its cost not known yet: read on the thread; then known to be short: read here.
      const first = await quick.readAt(1).offThread(persons);
      const second = await quick.readAt(2).offThread(persons);
      expect(quick.pool!.answered).toBe(1);
      const reference = await rm.asOf(2);
      expect(JSON.stringify(second)).toBe(JSON.stringify(reference.consistently(() => persons(reference))));
      expect(first.reached).toBe(1);
    } finally {
      quick.close();
    }
  }, 60_000);

  it('an error inside the read is the caller’s, as on this thread', async () => {
    open();
    await expect(
      connection.readAt(2).offThread((m) => {
        m.budget(P);
        throw new RangeError('the query’s own');
      }),
    ).rejects.toThrow(RangeError);
  }, 60_000);
});
