import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type JsonValue } from '@ihl/event-store';
import { ProjectionRunner, ReadModelNotCaughtUpError } from '@ihl/projections';
import { currentReadModelFile } from './read-model-files';
import { ReadModels, ledgerProjections } from './read-models';
import { readModelHash, rebuildReadModels } from './rebuild-read-models';

const CODE = 'P-1';

/** Real SQLite files: one process role writes the read models, the other follows them read-only. */
describe('read models followed from another writer', () => {
  let dir: string;
  let store: SqliteEventStore;
  const started: ReadModels[] = [];
  const append = async (streamId: string, type: string, data: Record<string, JsonValue>) =>
    (await store.append(streamId, [{ eventId: randomUUID(), type, data }], 'any')).position;
  const declare = (id: string, cents: number) =>
    append(`expenditure-${id}`, 'ExpenditureDeclared', {
      expenditureId: id,
      projectCode: CODE,
      partnerId: 'a',
      fields: { categoryId: 'staff', amountCents: cents, occurredOn: '2024-04-01' },
    });
  const models = async (...args: ConstructorParameters<typeof ReadModels>) => {
    const m = new ReadModels(...args);
    started.push(m);
    await m.start();
    return m;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-follow-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 10 });
    await append(`project-${CODE}`, 'ProjectRegistered', {
      definition: { code: CODE, envelopeCents: 1_000_00, coFinancing: { esfPlusBp: 8500, nationalBp: 1500 } },
    });
  });
  afterEach(async () => {
    for (const m of started.splice(0)) await m.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers what the writer committed, waiting for a position across the two', async () => {
    const writer = await models(store, dir, () => null, 'run', 20);
    const reader = await models(store, dir, () => null, 'follow', 20);
    const at = await declare('x1', 123_45);
    await reader.waitFor(at, 5000);
    expect(reader.reached).toBeGreaterThanOrEqual(at);
    expect(reader.budget(CODE)!.total.declaredCents).toBe(123_45n);
    expect(writer.budget(CODE)).toEqual(reader.budget(CODE));
  });

  it('one answer reads one state: a commit landing between two reads of it is not seen', async () => {
    await models(store, dir, () => null, 'run', 20);
    const reader = await models(store, dir, () => null, 'follow', 20);
    await reader.waitFor(await declare('x1', 100_00), 5000);
    // Another connection commits to the file while the answer is being read, as the worker would.
    const other = new Database(currentReadModelFile(dir));
    try {
      const seen = reader.consistently(() => {
        const first = { reached: reader.reached, total: reader.budget(CODE)!.total.declaredCents };
        other.exec("update budget_totals set declared_lo = declared_lo + 250 where project_code = 'P-1'");
        other.exec('update projection_checkpoints set position = position + 1');
        return { first, second: { reached: reader.reached, budget: reader.budget(CODE)! } };
      });
      expect(seen.second.reached).toBe(seen.first.reached);
      expect(seen.second.budget.reconciliation).toEqual({ ok: true, differences: [] });
      // Outside the answer the change is visible (and the reconciliation notices it).
      expect(reader.budget(CODE)!.reconciliation.ok).toBe(false);
    } finally {
      other.close();
    }
  });

  it('a wait in progress when the followed file is swapped ends as "not caught up", never as an error', async () => {
    await models(store, dir, () => null, 'run', 20);
    const reader = await models(store, dir, () => null, 'follow', 20);
    await reader.waitFor(await declare('x1', 1), 5000);
    const waiting = reader.waitFor(1_000_000, 1500);
    await rebuildReadModels({ store, dataDir: dir, projections: ledgerProjections(() => null), now: () => new Date() });
    await expect(waiting).rejects.toBeInstanceOf(ReadModelNotCaughtUpError);
    // And the reader has moved to the rebuilt file.
    for (let i = 0; i < 100 && reader.status.file !== currentReadModelFile(dir); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(reader.status.file).toBe(currentReadModelFile(dir));
    expect(reader.budget(CODE)!.total.declaredCents).toBe(1n);
  });

  it('a profile that cannot be opened leaves the person unknown and is counted, figures keep moving', async () => {
    const writer = await models(store, dir, () => {
      throw new Error('unsupported state or unable to authenticate data');
    });
    await append('activity-s1', 'ServiceDelivered', {
      activityId: 's1',
      projectCode: CODE,
      partnerId: 'a',
      fields: {
        kind: 'service-delivered',
        occurredOn: '2024-03-01',
        targetGroup: 'elderly',
        service: 'care',
        setting: 'home',
        recipient: { pseudonym: 'p1_aa' },
      },
    });
    await append('person-p1_aa', 'PersonProfileRecorded', { pseudonym: 'p1_aa', keyVersion: 1, sealed: 'garbled' });
    const at = await declare('x1', 5_00);
    await writer.waitFor(at, 5000);
    expect(writer.status.unreadableProfiles).toBe(1);
    expect(writer.personsReached(CODE)).toMatchObject({ reached: 1, bySex: { unknown: 1 } });
    expect(writer.budget(CODE)!.total.declaredCents).toBe(5_00n);
    // `ledger rebuild` with the same unreadable profile builds the same read models instead of failing.
    const throwing = () => {
      throw new Error('unsupported state or unable to authenticate data');
    };
    const live = new Database(writer.status.file!, { readonly: true });
    const liveHash = readModelHash(live, ledgerProjections(throwing));
    live.close();
    let unreadable = 0;
    const rebuilt = await rebuildReadModels({
      store,
      dataDir: dir,
      projections: ledgerProjections(throwing, () => (unreadable += 1)),
      now: () => new Date(),
    });
    expect(unreadable).toBe(1);
    expect(rebuilt.contentHash).toBe(liveHash);
  });

  it('a file written by read models of other versions serves no figure (503), and is served again once its versions match', async () => {
    const writer = await models(store, dir, () => null, 'run', 20);
    const reader = await models(store, dir, () => null, 'follow', 20);
    await reader.waitFor(await declare('x1', 5_00), 5000);
    expect(reader.consistently(() => reader.budget(CODE))!.total.declaredCents).toBe(5_00n);
    // As an older (or newer) writer would have left it: one read model at another version.
    const other = new Database(currentReadModelFile(dir));
    try {
      other.exec("update projection_checkpoints set version = version + 1 where name = 'budget'");
      expect(() => reader.consistently(() => reader.budget(CODE))).toThrow(ReadModelNotCaughtUpError);
      other.exec("update projection_checkpoints set version = version - 1 where name = 'budget'");
      const records = other.prepare("select * from projection_checkpoints where name = 'records'").get() as {
        name: string;
        version: number;
        position: number;
      };
      other.exec("delete from projection_checkpoints where name = 'records'");
      expect(() => reader.consistently(() => reader.budget(CODE))).toThrow(ReadModelNotCaughtUpError);
      // Once the file holds this code's versions again (as after its writer's rebuild), it is served.
      other
        .prepare('insert into projection_checkpoints values (?, ?, ?)')
        .run(records.name, records.version, records.position);
      expect(reader.consistently(() => reader.budget(CODE))!.total.declaredCents).toBe(5_00n);
    } finally {
      other.close();
    }
    expect(writer.reached).toBeGreaterThan(0);
  });

  it('a file its writer is replaying from 0 serves no figure (503), then all of them once complete', async () => {
    await declare('x1', 7_00);
    // The writer's runner on the current file, replaying in bulk but not finished: the marker is set.
    const file = currentReadModelFile(dir);
    const writer = new ProjectionRunner({ store, file, projections: ledgerProjections(() => null) });
    const reader = await models(store, dir, () => null, 'follow', 20);
    expect(() => reader.consistently(() => reader.budget(CODE))).toThrow(ReadModelNotCaughtUpError);
    await writer.start();
    expect(reader.consistently(() => reader.budget(CODE))!.total.declaredCents).toBe(7_00n);
    await writer.stop();
  });
});
