import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type NewEvent } from '@ihl/event-store';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

const counted: Projection = {
  name: 'counted',
  version: 1,
  tables: ['counted_events'],
  schema: 'create table if not exists counted_events (position integer not null)',
  handles: 'all',
  evolve(event, { db }) {
    db.prepare('insert into counted_events values (?)').run(event.position);
  },
};

const ev = (): NewEvent => ({ eventId: randomUUID(), type: 'Counted', data: {} });

/**
 * The positions the runner publishes, seen from a callback on every turn of the event loop while
 * `events` events are appended at once; resolves once it has published the last one.
 */
async function publishedPerTurn(store: SqliteEventStore, runner: ProjectionRunner, events: number): Promise<number[]> {
  const seen: number[] = [];
  let watching = true;
  const watch = () => {
    if (seen[seen.length - 1] !== runner.reached) seen.push(runner.reached);
    if (watching) setImmediate(watch);
  };
  watch();
  const [written] = await store.appendMany([
    { streamId: `burst-${randomUUID()}`, expectedRevision: 'no_stream', events: Array.from({ length: events }, ev) },
  ]);
  try {
    await runner.waitFor(written!.position, 60_000);
  } finally {
    watching = false;
  }
  return seen;
}

describe('live events applied in time-bounded slices (liveSliceMs)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-slices-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 10 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runner(liveSliceMs?: number): Promise<ProjectionRunner> {
    const r = new ProjectionRunner({
      store,
      file: join(dir, `read-models-${randomUUID()}.sqlite`),
      projections: [counted],
      ...(liveSliceMs === undefined ? {} : { liveSliceMs }),
    });
    await r.start();
    return r;
  }

  const rows = (r: ProjectionRunner) =>
    (r.db.prepare('select position from counted_events order by rowid').all() as { position: number }[]).map(
      (x) => x.position,
    );

  /** Turns on which the runner published a new position while `events` arrived at once; every event once, in order. */
  async function turnsFor(liveSliceMs: number | undefined, events: number): Promise<number> {
    const r = await runner(liveSliceMs);
    try {
      const seen = await publishedPerTurn(store, r, events);
      const log = (await store.readAll()).map((e) => e.position);
      expect(rows(r)).toEqual(log);
      expect(r.reached).toBe(log[log.length - 1]);
      return seen.length;
    } finally {
      await r.stop();
    }
  }

  it('a burst of 900 events is applied over many turns of the event loop, each event once and in order', async () => {
    // Slices of the smallest size (64 events): 15 of them, each published on its own turn.
    expect(await turnsFor(0.001, 900)).toBeGreaterThan(10);
  });

  it('without it, a burst of 900 events is applied in one transaction', async () => {
    expect(await turnsFor(undefined, 900)).toBeLessThanOrEqual(3);
  });

  it('a backlog of a whole batch or more is applied in whole batches: the read models do not fall further behind', async () => {
    // Three batches of 1,000, not 47 slices.
    expect(await turnsFor(0.001, 3000)).toBeLessThanOrEqual(8);
  });

  it('events delivered but not applied yet when the runner stops are applied, not dropped', async () => {
    const r = await runner(0.001);
    const [written] = await store.appendMany([
      { streamId: `burst-${randomUUID()}`, expectedRevision: 'no_stream', events: Array.from({ length: 500 }, ev) },
    ]);
    // Stopped while the slices are still being applied.
    await new Promise((resolve) => setImmediate(resolve));
    const file = r.db.name;
    await r.stop();
    const again = new ProjectionRunner({ store, file, projections: [counted], liveSliceMs: 0.001 });
    try {
      await again.start();
      expect(again.reached).toBe(written!.position);
      expect(rows(again)).toEqual((await store.readAll()).map((e) => e.position));
    } finally {
      await again.stop();
    }
  });
});
