import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SqliteEventStore, type NewEvent } from '@ihl/event-store';
import { personsReached, personsReachedProjection } from './persons-reached.projection';
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
  const rows = db.prepare('select * from reach_services order by activity_id').all();
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
    expect(personsReached(r.db, CODE)).toEqual({
      reached: 2,
      byPartner: { 'utena-spc': 1, 'visaginas-spc': 1 },
      byTargetGroup: { elderly: 2 },
      byService: { nursing: 2 },
      bySetting: { home: 2 },
      newByMonth: { '2024-02': 1, '2024-03': 1 },
    });
    expect(personsReached(r.db, CODE, 'visaginas-spc')).toMatchObject({
      reached: 1,
      byPartner: { 'visaginas-spc': 1 },
      newByMonth: { '2024-03': 1 },
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
    expect((second.db.prepare('select count(*) as n from reach_services').get() as { n: number }).n).toBe(5);
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
    v1.db.prepare("update reach_services set voided = 1 where activity_id = 'a1'").run(); // drift the copy
    await v1.stop();
    const v2 = runner('read-models.sqlite', { ...personsReachedProjection, version: 2 });
    expect(v2.reached).toBe(0);
    await v2.start();
    expect(counts(personsReached(v2.db, CODE))).toEqual({
      reached: 2,
      byPartner: { 'utena-spc': 1, 'visaginas-spc': 1 },
    });
    expect(
      (v2.db.prepare('select voided from reach_services where activity_id = ?').get('a1') as { voided: number }).voided,
    ).toBe(0);
    await v2.stop();
  });
});
