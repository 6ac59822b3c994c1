import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { SqliteEventStore } from '@ihl/event-store';
import { ReadModels, type ReadModelsSnapshot } from './read-models';

const P = '07-003-P-0001';

/** The fields the persons-reached and volumes projections read from a recorded service. */
function delivered(activityId: string, pseudonym: string) {
  return {
    eventId: randomUUID(),
    type: 'ServiceDelivered',
    data: {
      activityId,
      projectCode: P,
      partnerId: 'visaginas-spc',
      fields: {
        kind: 'service-delivered',
        occurredOn: '2024-03-01',
        service: 'nursing',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 90,
        recipient: { pseudonym, keyVersion: 1 },
      },
    },
  };
}

const statsOf = (rm: ReadModels) =>
  (rm as unknown as { snapshots: { stats(): { builds: number; hits: number; cached: number } } }).snapshots.stats();
const dbOf = (s: ReadModelsSnapshot) => (s as unknown as { frozen: { db: Database.Database } }).frozen.db;

describe('ReadModels.asOf: snapshots by position, cached', () => {
  let dir: string;
  let store: SqliteEventStore;
  let rm: ReadModels;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-asof-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    rm = new ReadModels(store, dir);
    for (const [i, who] of ['p1', 'p2', 'p3'].entries())
      await store.append(`activity-a${i + 1}`, [delivered(`a${i + 1}`, who)], 'no_stream');
    await store.append(
      'activity-a2',
      [{ eventId: randomUUID(), type: 'ActivityVoided', data: { activityId: 'a2', reason: 'wrong person' } }],
      0,
    );
  });
  afterEach(async () => {
    await rm.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function figuresAt(models: ReadModels, position: number) {
    const s = await models.asOf(position);
    try {
      const persons = s.personsReached(P);
      return { reached: persons.reached, services: s.activityVolumes(P).services, position: s.reached };
    } finally {
      await s.close();
    }
  }

  it('answers the same from the cache as from a fresh replay, and cached snapshots stay frozen', async () => {
    // Positions: 1-3 services to p1, p2, p3; 4 voids p2's service.
    const at2 = { reached: 2, services: [{ service: 'nursing', setting: 'home', count: 2, hours: 3 }], position: 2 };
    const at4 = { reached: 2, services: [{ service: 'nursing', setting: 'home', count: 2, hours: 3 }], position: 4 };
    const at3 = { reached: 3, services: [{ service: 'nursing', setting: 'home', count: 3, hours: 4.5 }], position: 3 };
    expect(await figuresAt(rm, 2)).toEqual(at2);
    expect(await figuresAt(rm, 3)).toEqual(at3);
    expect(await figuresAt(rm, 4)).toEqual(at4);
    expect(statsOf(rm)).toMatchObject({ builds: 3, hits: 0 });
    expect(await figuresAt(rm, 2)).toEqual(at2);
    expect(await figuresAt(rm, 3)).toEqual(at3);
    expect(statsOf(rm)).toMatchObject({ builds: 3, hits: 2 });
    // Later events change neither a cached snapshot nor what a fresh replay gives for its position.
    await store.append('activity-a4', [delivered('a4', 'p4')], 'no_stream');
    expect(await figuresAt(rm, 3)).toEqual(at3);
    const uncached = new ReadModels(store, dir);
    try {
      expect(await figuresAt(uncached, 2)).toEqual(at2);
      expect(await figuresAt(uncached, 3)).toEqual(at3);
      expect(await figuresAt(uncached, 4)).toEqual(at4);
    } finally {
      await uncached.stop();
    }
  });

  it('a position past the head is taken as the head, so later events are not missed', async () => {
    expect(await figuresAt(rm, 1000)).toMatchObject({ reached: 2, position: 4 });
    await store.append('activity-a4', [delivered('a4', 'p4')], 'no_stream');
    expect(await figuresAt(rm, 1000)).toMatchObject({ reached: 3, position: 5 });
    expect(statsOf(rm)).toMatchObject({ builds: 2, hits: 0 });
  });

  it('concurrent requests for one position build it once and share it', async () => {
    const snapshots = await Promise.all([rm.asOf(3), rm.asOf(3), rm.asOf(3)]);
    expect(statsOf(rm)).toMatchObject({ builds: 1, hits: 2 });
    expect(new Set(snapshots.map(dbOf)).size).toBe(1);
    for (const s of snapshots) expect(s.personsReached(P).reached).toBe(3);
    for (const s of snapshots) await s.close();
    expect(dbOf(snapshots[0]!).open).toBe(true); // still cached
  });

  it('eviction closes only snapshots nobody is reading; the one in use is closed after its last use', async () => {
    await store.append('activity-a4', [delivered('a4', 'p4')], 'no_stream'); // position 5
    const held = await rm.asOf(1);
    const others: ReadModelsSnapshot[] = [];
    for (const position of [2, 3, 4, 5]) {
      const s = await rm.asOf(position);
      others.push(s);
      await s.close();
    }
    // Five positions, room for four: the oldest unused one (2) went, not the older one in use (1).
    expect(statsOf(rm).cached).toBe(4);
    expect(others.map((s) => dbOf(s).open)).toEqual([false, true, true, true]);
    expect(held.personsReached(P).reached).toBe(1);
    await rm.stop();
    expect(dbOf(held).open).toBe(true);
    expect(others.map((s) => dbOf(s).open)).toEqual([false, false, false, false]);
    await held.close();
    expect(dbOf(held).open).toBe(false);
  });
});
