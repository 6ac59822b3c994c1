import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ihl/event-store';
import { ProjectionRunner } from '@ihl/projections';
import { currentReadModelFile } from './read-model-files';
import { ReadModels, ledgerProjections } from './read-models';

const CODE = 'P-1';
const CHUNKS = 40;
const PER_CHUNK = 1000;

const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : 0);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A process stopped while its read models are still replaying the log from 0 in bulk. */
describe('read models stopped during their first catch-up', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-stop-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 10 });
    await store.append(
      `project-${CODE}`,
      [
        {
          eventId: randomUUID(),
          type: 'ProjectRegistered',
          data: {
            definition: { code: CODE, envelopeCents: 1_000_000_00, coFinancing: { esfPlusBp: 8500, nationalBp: 1500 } },
          },
        },
      ],
      'any',
    );
    for (let c = 0; c < CHUNKS; c++) {
      await store.appendMany(
        Array.from({ length: PER_CHUNK }, (_, i) => ({
          streamId: `expenditure-e${c}-${i}`,
          expectedRevision: 'no_stream' as const,
          events: [
            {
              eventId: randomUUID(),
              type: 'ExpenditureDeclared',
              data: {
                expenditureId: `e${c}-${i}`,
                projectCode: CODE,
                partnerId: 'a',
                fields: { categoryId: 'staff', amountCents: 1 + i, occurredOn: '2024-04-01' },
              },
            },
          ],
        })),
      );
    }
  }, 60_000);
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops the replaying runner: start() ends quietly, the file is left alone, the next start replays it whole', async () => {
    const file = currentReadModelFile(dir);
    const first = new ReadModels(store, dir, () => null, 'run', 20);
    let settled = false;
    const started = first.start().finally(() => (settled = true));
    // Some batches committed, far from the end of the log.
    while (sizeOf(`${file}-wal`) === 0 && !settled) await pause(5);
    expect(settled).toBe(false);

    await first.stop();
    await expect(started).resolves.toBeUndefined();
    expect(first.status.file).toBeNull();

    // Nothing writes the file any more: no runner left behind by the stopped process.
    const sizes = () => [sizeOf(file), sizeOf(`${file}-wal`)];
    const after = sizes();
    await pause(400);
    expect(sizes()).toEqual(after);
    const probe = new Database(file);
    try {
      expect(probe.prepare('select count(*) as n from projection_bulk').get()).toEqual({ n: 1 });
      // No other connection holds the write lock.
      probe.exec('begin immediate; rollback');
    } finally {
      probe.close();
    }

    const second = new ReadModels(store, dir, () => null, 'run', 20);
    try {
      await second.start();
      expect(second.reached).toBe(await store.headPosition());
      const perChunk = (PER_CHUNK * (PER_CHUNK + 1)) / 2;
      expect(second.budget(CODE)!.total.declaredCents).toBe(BigInt(CHUNKS * perChunk));
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('a stop during a swap to a rebuilt file stops the file being caught up as well', async () => {
    const models = new ReadModels(store, dir, () => null, 'run', 20);
    await models.start();
    const served = models.status.file;
    // Point at a fresh file: the watcher opens it and replays the log into it from 0.
    writeFileSync(join(dir, 'read-models.current'), 'read-models-next.sqlite\n');
    const next = join(dir, 'read-models-next.sqlite');
    while (sizeOf(`${next}-wal`) === 0) await pause(5);
    await models.stop();
    expect(models.status.file).toBeNull();
    const after = [sizeOf(next), sizeOf(`${next}-wal`)];
    await pause(400);
    expect([sizeOf(next), sizeOf(`${next}-wal`)]).toEqual(after);
    // The swap did not finish: the file served is still there, the new one still marked as replaying.
    expect(existsSync(served!)).toBe(true);
    const probe = new Database(next, { readonly: true });
    try {
      expect(probe.prepare('select count(*) as n from projection_bulk').get()).toEqual({ n: 1 });
    } finally {
      probe.close();
    }
  }, 60_000);

  it('a follower stopped while it waits for a file to catch up stops at once', async () => {
    const projections = ledgerProjections(() => null);
    // A complete file, and one that is far behind it (its replay stopped at once).
    const done = new ProjectionRunner({ store, file: join(dir, 'read-models-f1.sqlite'), projections });
    await done.start();
    await done.stop();
    await new ProjectionRunner({ store, file: join(dir, 'read-models-f2.sqlite'), projections }).stop();
    writeFileSync(join(dir, 'read-models.current'), 'read-models-f1.sqlite\n');
    const follower = new ReadModels(store, dir, () => null, 'follow', 20);
    await follower.start();
    expect(follower.reached).toBe(await store.headPosition());
    // The swap's waits (setTimeout) and its 60 s give-up (Date.now) run on a fake clock from here;
    // the pointer watcher (setInterval) stays real so it opens f2 by itself.
    jest.useFakeTimers({
      doNotFake: ['setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask'],
      now: Date.now(),
    });
    try {
      writeFileSync(join(dir, 'read-models.current'), 'read-models-f2.sqlite\n');
      const tick = () => new Promise((r) => setImmediate(r));
      // Until the watcher opened f2 and waits (on the fake clock) for it to catch up.
      while (jest.getTimerCount() === 0) await tick();
      let stopped = false;
      const stopping = follower.stop().then(() => (stopped = true));
      // The fake clock never reaches the swap's 60 s give-up: only stop() itself can end the wait.
      for (let ms = 0; !stopped && ms < 59_000; ms += 50) {
        await jest.advanceTimersByTimeAsync(50);
        await tick();
      }
      expect(stopped).toBe(true);
      await stopping;
    } finally {
      jest.useRealTimers();
    }
    expect(follower.status.file).toBeNull();
    // f2 never caught up: stop() did not wait for it.
    const f2 = new Database(join(dir, 'read-models-f2.sqlite'), { readonly: true });
    try {
      const { p } = f2.prepare('select min(position) as p from projection_checkpoints').get() as { p: number };
      expect(p).toBeLessThan(await store.headPosition());
    } finally {
      f2.close();
    }
  }, 90_000);
});
