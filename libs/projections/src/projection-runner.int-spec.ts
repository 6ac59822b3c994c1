import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SqliteEventStore, type NewEvent } from '@ihl/event-store';
import { activityVolumesProjection } from './activity-volumes.projection';
import { personsReachedProjection } from './persons-reached.projection';
import { personsReached } from './persons-reached.query';
import type { AnyEvent } from './ledger-events';
import type { Projection } from './projection';
import type { Sql } from './statement-cache';
import { ProjectionRunner, ReadModelNotCaughtUpError } from './projection-runner';

const CODE = '07-003-P-0001';
const ev = (type: string, data: object): NewEvent => ({ eventId: randomUUID(), type, data: data as never });
const service = (activityId: string, partnerId: string, pseudonym: string, occurredOn: string): NewEvent =>
  ev('ServiceDelivered', {
    activityId,
    projectCode: CODE,
    partnerId,
    fields: {
      kind: 'service-delivered',
      occurredOn,
      service: 'nursing',
      targetGroup: 'elderly',
      setting: 'home',
      durationMinutes: 60,
      recipient: { pseudonym, keyVersion: 1 },
    },
  });

function contentHash(db: Database.Database): string {
  const rows = db.prepare('select * from records order by seq').all();
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

describe('projection runner and the persons-reached read model', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-proj-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
    // p1: served by Visaginas on 03-01 and by Utena earlier (02-01): counted once, for Utena.
    await store.append('activity-a1', [service('a1', 'visaginas-spc', 'p1', '2024-03-01')], 'no_stream');
    await store.append('activity-a2', [service('a2', 'utena-spc', 'p1', '2024-02-01')], 'no_stream');
    // p2: the only service is voided: not reached.
    await store.append('activity-a3', [service('a3', 'visaginas-spc', 'p2', '2024-03-05')], 'no_stream');
    await store.append(
      'activity-a3',
      [ev('ActivityVoided', { activityId: 'a3', partnerId: 'visaginas-spc', reason: 'entered twice' })],
      0,
    );
    // p3 → p4: the recipient was corrected.
    await store.append('activity-a4', [service('a4', 'visaginas-spc', 'p3', '2024-03-07')], 'no_stream');
    const corrected = service('a4', 'visaginas-spc', 'p4', '2024-03-07');
    await store.append(
      'activity-a4',
      [
        ev('ActivityCorrected', {
          ...(corrected.data as object),
          previous: {},
          reason: 'wrong person',
          restatement: false,
        }),
      ],
      0,
    );
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const counts = (r: ReturnType<typeof personsReached>) => ({ reached: r.reached, byPartner: r.byPartner });
  const runner = (file = 'read-models.sqlite', projection = personsReachedProjection) =>
    new ProjectionRunner({ store, file: join(dir, file), projections: [projection] });

  it('counts unique persons: duplicates across partners once, voids and corrections applied', async () => {
    const r = runner();
    await r.start();
    // The figures this suite is about; the newer breakdowns have their own tests.
    const { reached, byPartner, byTargetGroup, byService, bySetting, newByMonth } = personsReached(r.db, CODE);
    expect({ reached, byPartner, byTargetGroup, byService, bySetting, newByMonth }).toEqual({
      reached: 2,
      byPartner: { 'utena-spc': 1, 'visaginas-spc': 1 },
      byTargetGroup: { elderly: 2 },
      byService: { nursing: 2 },
      bySetting: { home: 2 },
      newByMonth: { '2024-02': 1, '2024-03': 1 },
    });
    // Visaginas's part of the project figure (p1 is Utena's, who served them first)...
    expect(personsReached(r.db, CODE, 'visaginas-spc', { share: true })).toMatchObject({
      reached: 1,
      byPartner: { 'visaginas-spc': 1 },
      newByMonth: { '2024-03': 1 },
    });
    // ...and its own figure: every person it served itself, whoever else served them.
    expect(personsReached(r.db, CODE, 'visaginas-spc')).toMatchObject({
      reached: 2,
      byPartner: { 'visaginas-spc': 2 },
      newByMonth: { '2024-03': 2 },
    });
    expect(r.reached).toBe(await store.headPosition());
    await r.stop();
  });

  it('follows live events and answers read-your-writes waits, or times out', async () => {
    const r = runner();
    await r.start();
    const w = await store.append('activity-a5', [service('a5', 'visaginas-spc', 'p5', '2024-04-01')], 'no_stream');
    await r.waitFor(w.position, 5000);
    expect(personsReached(r.db, CODE).reached).toBe(3);
    await expect(r.waitFor(w.position + 100, 50)).rejects.toBeInstanceOf(ReadModelNotCaughtUpError);
    await r.stop();
  });

  it('resumes from its checkpoint after a restart without repeating an effect', async () => {
    const first = runner();
    await first.start();
    const before = contentHash(first.db);
    await first.stop();
    await store.append('activity-a6', [service('a6', 'utena-spc', 'p6', '2024-04-02')], 'no_stream');
    const second = runner();
    expect(second.reached).toBeGreaterThan(0);
    await second.start();
    expect(contentHash(second.db)).not.toBe(before);
    expect(counts(personsReached(second.db, CODE))).toEqual({
      reached: 3,
      byPartner: { 'utena-spc': 2, 'visaginas-spc': 1 },
    });
    expect((second.db.prepare('select count(*) as n from records').get() as { n: number }).n).toBe(5);
    await second.stop();
  });

  it('a rebuild from position 0 is identical to the live read model (same content hash)', async () => {
    const live = runner('live.sqlite');
    await live.start();
    await store.append('activity-a7', [service('a7', 'utena-spc', 'p1', '2024-01-15')], 'no_stream');
    await live.waitFor(await store.headPosition(), 5000);
    const rebuilt = runner('rebuilt.sqlite');
    await rebuilt.start();
    expect(contentHash(rebuilt.db)).toBe(contentHash(live.db));
    await live.stop();
    await rebuilt.stop();
  });

  it('rebuilds itself when the projection version changes', async () => {
    const v1 = runner();
    await v1.start();
    v1.db.prepare("update records set voided = 1 where record_id = 'a1'").run(); // drift the copy
    v1.db.exec('create table reach_services (activity_id text primary key)'); // a table an older version had
    await v1.stop();
    const v2 = runner('read-models.sqlite', {
      ...personsReachedProjection,
      version: personsReachedProjection.version + 1,
    });
    expect(v2.reached).toBe(0);
    await v2.start();
    expect(counts(personsReached(v2.db, CODE))).toEqual({
      reached: 2,
      byPartner: { 'utena-spc': 1, 'visaginas-spc': 1 },
    });
    expect(
      (v2.db.prepare('select voided from records where record_id = ?').get('a1') as { voided: number }).voided,
    ).toBe(0);
    // A full rebuild drops what an older layout left behind.
    expect(v2.db.prepare("select count(*) as n from sqlite_master where name = 'reach_services'").get()).toEqual({
      n: 0,
    });
    await v2.stop();
  });
});

/**
 * A read model that writes down every event it sees and the checkpoint it saw while applying it:
 * inside one transaction the checkpoint is still the previous batch's, so the recorded values show
 * which events shared a transaction.
 */
function trailProjection(failOn: (e: AnyEvent) => boolean = () => false): Projection {
  return {
    name: 'trail',
    version: 1,
    tables: ['trail_events'],
    schema:
      'create table if not exists trail_events (position integer primary key, type text not null, seen_checkpoint integer not null)',
    handles: 'all',
    evolve(e, { db }) {
      if (failOn(e)) throw new Error(`cannot apply ${e.type} at ${e.position}`);
      const seen = (db.prepare('select position from projection_checkpoints').get() as { position: number }).position;
      db.prepare('insert into trail_events values (?, ?, ?)').run(e.position, e.type, seen);
    },
  };
}

const trailRows = (db: Database.Database) =>
  db.prepare('select position, seen_checkpoint as seen from trail_events order by position').all() as {
    position: number;
    seen: number;
  }[];
const storedCheckpoint = (db: Sql) =>
  (db.prepare('select position from projection_checkpoints').get() as { position: number }).position;

/** The content of every table of the real projections, in a stable order. */
function readModelHash(db: Database.Database, projections: readonly Projection[]): string {
  const h = createHash('sha256');
  for (const p of projections)
    for (const t of p.tables) h.update(t).update(JSON.stringify(db.prepare(`select * from ${t} order by 1`).all()));
  return h.digest('hex');
}

describe('projection runner batching', () => {
  let dir: string;
  let store: SqliteEventStore;
  let positions: number[];
  const tick = (n: number) => ev('Tick', { n });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-batch-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 20 });
    positions = [];
    for (let n = 0; n < 10; n++) positions.push((await store.append(`tick-${n}`, [tick(n)], 'no_stream')).position);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = () => join(dir, 'read-models.sqlite');

  it('catches up in whole batches: each batch is one transaction that ends with its last checkpoint', async () => {
    const r = new ProjectionRunner({
      store,
      file: file(),
      projections: [trailProjection()],
      batchSize: 4,
      bulkRebuild: false,
    });
    await r.start();
    // Events 0-3 saw checkpoint 0, events 4-7 the position of event 3, events 8-9 that of event 7.
    expect(trailRows(r.db)).toEqual(
      positions.map((position, i) => ({ position, seen: i < 4 ? 0 : positions[Math.floor(i / 4) * 4 - 1] })),
    );
    expect(r.reached).toBe(positions[9]);
    expect(storedCheckpoint(r.db)).toBe(positions[9]);
    await r.stop();
  });

  it('applies live events at once, without waiting for a full batch; appends of one commit share a batch', async () => {
    const r = new ProjectionRunner({ store, file: file(), projections: [trailProjection()], batchSize: 1000 });
    await r.start();
    const written = await Promise.all([10, 11, 12].map((n) => store.append(`tick-${n}`, [tick(n)], 'no_stream')));
    const last = Math.max(...written.map((w) => w.position));
    await r.waitFor(last, 2000);
    const live = trailRows(r.db).slice(10);
    expect(live.map((row) => row.position)).toEqual(written.map((w) => w.position));
    expect(new Set(live.map((row) => row.seen))).toEqual(new Set([positions[9]]));
    await r.stop();
  });

  it('a throw in the middle of a batch stops exactly before that event: checkpoint and effects agree; a restart resumes', async () => {
    const poisoned = positions[5]!;
    let broken = true;
    const trail = trailProjection((e) => broken && e.position === poisoned);
    const first = new ProjectionRunner({ store, file: file(), projections: [trail], batchSize: 4, bulkRebuild: false });
    await expect(first.start()).rejects.toThrow(`cannot apply Tick at ${poisoned}`);
    expect(first.failure?.message).toBe(`cannot apply Tick at ${poisoned}`);
    // Everything before the failing event is in, nothing from it on: as without batching.
    expect(first.reached).toBe(positions[4]);
    expect(storedCheckpoint(first.db)).toBe(positions[4]);
    expect(trailRows(first.db).map((row) => row.position)).toEqual(positions.slice(0, 5));
    await first.stop();

    broken = false;
    const second = new ProjectionRunner({ store, file: file(), projections: [trail], batchSize: 4 });
    expect(second.reached).toBe(positions[4]);
    await second.start();
    expect(trailRows(second.db).map((row) => row.position)).toEqual(positions);
    expect(storedCheckpoint(second.db)).toBe(positions[9]);
    await second.stop();
  });

  it('a live event that cannot be applied stops the runner and is reported; nothing after it is applied', async () => {
    const errors: Error[] = [];
    const trail = trailProjection((e) => e.type === 'Poison');
    const r = new ProjectionRunner({
      store,
      file: file(),
      projections: [trail],
      batchSize: 1000,
      onError: (e) => errors.push(e),
    });
    await r.start();
    const good = await store.append('tick-10', [tick(10)], 'no_stream');
    const [bad] = await Promise.all([
      store.append('poison', [ev('Poison', {})], 'no_stream'),
      store.append('tick-11', [tick(11)], 'no_stream'),
    ]);
    await expect(r.waitFor(bad!.position, 300)).rejects.toBeInstanceOf(ReadModelNotCaughtUpError);
    expect(errors.map((e) => e.message)).toEqual([`cannot apply Poison at ${bad!.position}`]);
    expect(r.reached).toBe(good.position);
    expect(storedCheckpoint(r.db)).toBe(good.position);
    expect(trailRows(r.db).at(-1)?.position).toBe(good.position);
    await r.stop();
  });

  it('replayUntil stops at a position inside a page and writes one transaction per page', async () => {
    const r = new ProjectionRunner({ store, file: ':memory:', projections: [trailProjection()], bulkRebuild: false });
    await r.replayUntil(positions[6]!, 4);
    expect(r.reached).toBe(positions[6]);
    expect(trailRows(r.db)).toEqual(
      positions.slice(0, 7).map((position, i) => ({ position, seen: i < 4 ? 0 : positions[3] })),
    );
    await r.stop();
  });

  it('in bulk, publishes nothing until the whole replay is in: the file says position 0 meanwhile', async () => {
    let seenCheckpoints = new Set<number>();
    const watcher: Projection = {
      ...trailProjection(),
      evolve(e, { db }) {
        seenCheckpoints.add(storedCheckpoint(db));
        db.prepare('insert into trail_events values (?, ?, 0)').run(e.position, e.type);
      },
    };
    const r = new ProjectionRunner({ store, file: file(), projections: [watcher], batchSize: 3 });
    let reachedDuring: number | null = null;
    const waiting = r.waitFor(positions[2]!, 5000).then(() => (reachedDuring = r.reached));
    await r.start();
    await waiting;
    // Four batches went by, all with the checkpoint at 0; waiters were released only at the end.
    expect([...seenCheckpoints]).toEqual([0]);
    expect(reachedDuring).toBe(positions[9]);
    expect(storedCheckpoint(r.db)).toBe(positions[9]);
    expect(r.db.prepare('select count(*) as n from projection_bulk').get()).toEqual({ n: 0 });
    seenCheckpoints = new Set();
    await r.stop();
  });

  it('in bulk, a failure after the indexes were committed keeps the marker: a restart replays from 0', async () => {
    let flushes = 0;
    const failing: Projection = {
      ...trailProjection(),
      commit() {
        flushes++;
        throw new Error('the sums cannot be written');
      },
    };
    const r = new ProjectionRunner({ store, file: file(), projections: [failing], batchSize: 3 });
    await expect(r.start()).rejects.toThrow('the sums cannot be written');
    // The end of a bulk replay is two commits (by design: the sums are written faster out of the index
    // build's transaction): the indexes went in, the sums and the checkpoint did not.
    expect(flushes).toBe(1);
    expect(r.db.prepare("select name from sqlite_master where type = 'index' and name = 'records_id'").all()).toEqual([
      { name: 'records_id' },
    ]);
    expect(r.db.prepare('select count(*) as n from projection_bulk').get()).toEqual({ n: 1 });
    expect(storedCheckpoint(r.db)).toBe(0);
    expect(r.reached).toBe(0);
    await r.stop();
    const again = new ProjectionRunner({ store, file: file(), projections: [trailProjection()], batchSize: 3 });
    expect(again.reached).toBe(0);
    expect(trailRows(again.db)).toEqual([]);
    await again.start();
    expect(trailRows(again.db).map((row) => row.position)).toEqual(positions);
    expect(again.db.prepare('select count(*) as n from projection_bulk').get()).toEqual({ n: 0 });
    await again.stop();
  });

  it('a rebuild in batches is identical to the live read model built one event per transaction', async () => {
    const projections = [personsReachedProjection, activityVolumesProjection];
    const live = new ProjectionRunner({ store, file: join(dir, 'live.sqlite'), projections, batchSize: 1 });
    await live.start();
    // Services, some for the same persons, then corrections and voids, appended one by one while live.
    for (let i = 0; i < 40; i++) {
      const id = `s${i}`;
      const w = await store.append(
        `activity-${id}`,
        [service(id, i % 2 ? 'utena-spc' : 'visaginas-spc', `p${i % 13}`, `2024-0${1 + (i % 9)}-1${i % 10}`)],
        'no_stream',
      );
      if (i % 7 === 3) {
        const corrected = service(id, 'utena-spc', `p${(i + 5) % 13}`, '2024-01-02');
        await store.append(
          `activity-${id}`,
          [
            ev('ActivityCorrected', {
              ...(corrected.data as object),
              previous: {},
              reason: 'typo',
              restatement: false,
            }),
          ],
          w.revision,
        );
      }
      if (i % 5 === 4)
        await store.append(`activity-${id}`, [ev('ActivityVoided', { activityId: id, reason: 'twice' })], 'any');
      await live.waitFor(await store.headPosition(), 2000);
    }
    const rebuilt = new ProjectionRunner({ store, file: join(dir, 'rebuilt.sqlite'), projections, batchSize: 7 });
    await rebuilt.start();
    expect(rebuilt.reached).toBe(live.reached);
    expect(readModelHash(rebuilt.db, projections)).toBe(readModelHash(live.db, projections));
    expect(personsReached(rebuilt.db, CODE)).toEqual(personsReached(live.db, CODE));
    await live.stop();
    await rebuilt.stop();
  });
});

// Rebuilds into `readModels` with 1,000-event batches (in bulk or not) and says when it is inside one.
const REBUILD_CHILD = `
const { ProjectionRunner } = require('@ihl/projections');
const { SqliteEventStore } = require('@ihl/event-store');
const [, events, readModels, bulk] = process.argv;
const pause = new Int32Array(new SharedArrayBuffer(4));
const trail = {
  name: 'trail', version: 1, tables: ['trail_events'],
  schema: 'create table if not exists trail_events (position integer primary key, type text not null, seen_checkpoint integer not null)',
  handles: 'all',
  evolve(e, { db }) {
    if (e.position === 5500) process.stdout.write('inside\\n');
    // From there on slowly, so the kill lands inside the batch that holds 5500.
    if (e.position >= 5500) Atomics.wait(pause, 0, 0, 1);
    db.prepare('insert into trail_events values (?, ?, 0)').run(e.position, e.type);
  },
};
const store = new SqliteEventStore({ file: events });
void new ProjectionRunner({ store, file: readModels, projections: [trail], batchSize: 1000, bulkRebuild: bulk === 'bulk' }).start();
`;

describe('projection runner: kill -9 during a replay from 0', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ihl-batch-crash-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function killDuringReplay(bulk: boolean) {
    const eventsFile = join(dir, `events-${bulk}.sqlite`);
    const readModels = join(dir, `read-models-${bulk}.sqlite`);
    const store = new SqliteEventStore({ file: eventsFile });
    const total = 40_000;
    for (let s = 0; s < total / 500; s++)
      await store.append(
        `tick-${s}`,
        Array.from({ length: 500 }, (_, n) => ev('Tick', { n, pad: 'x'.repeat(100) })),
        'no_stream',
      );

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', REBUILD_CHILD, eventsFile, readModels, bulk ? 'bulk' : 'batches'],
      { cwd: join(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the child never reached event 5500; stderr: ${stderr}`)),
        20_000,
      );
      child.stdout.on('data', (d: Buffer) => {
        if (!d.toString().includes('inside')) return;
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve();
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    return { store, readModels, total };
  }

  it('batch by batch: leaves a checkpoint that matches the effects exactly, and a restart applies every event once', async () => {
    const { store, readModels, total } = await killDuringReplay(false);
    const trail = trailProjection();
    const after = new ProjectionRunner({ store, file: readModels, projections: [trail], batchSize: 1000 });
    const applied = trailRows(after.db).map((row) => row.position);
    // The batch in progress (it holds event 5500) left nothing; the checkpoint is the last committed
    // batch's, with all its effects. Batches hold at most 1,000 events but may end early: the runner
    // applies what it has whenever the feed pauses (when the feed waits for its read-ahead thread, too),
    // so the last committed batch ended somewhere from 4,500 to 5,499 (5,000 when every batch was full).
    expect(after.reached).toBeGreaterThanOrEqual(4500);
    expect(after.reached).toBeLessThan(5500);
    expect(applied).toEqual(Array.from({ length: after.reached }, (_, i) => i + 1));
    await after.start();
    expect(trailRows(after.db).map((row) => row.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    await after.stop();
    await store.close();
  });

  it('in bulk: the interrupted replay is thrown away and a restart replays from 0, every event once', async () => {
    const { store, readModels, total } = await killDuringReplay(true);
    const trail = trailProjection();
    const after = new ProjectionRunner({ store, file: readModels, projections: [trail], batchSize: 1000 });
    // Five batches were committed, with the checkpoint left at 0 and the bulk marker set: the runner starts over.
    expect(after.reached).toBe(0);
    expect(trailRows(after.db)).toEqual([]);
    await after.start();
    expect(after.reached).toBe(total);
    expect(trailRows(after.db).map((row) => row.position)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    await after.stop();
    await store.close();
  });
});
