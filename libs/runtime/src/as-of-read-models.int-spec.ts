import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ihl/event-store';
import { serviceDelivered } from '../../../test/support/service-delivered';
import { ReadModels } from './read-models';

const P = '07-003-P-0001';

const delivered = (activityId: string, pseudonym: string) => serviceDelivered(P, activityId, pseudonym);

describe('ReadModels.asOf: the versions of the rows that held at a position', () => {
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
    await rm.start();
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

  it('answers as the ledger stood at each position, and later events do not move an answer', async () => {
    // Positions: 1-3 services to p1, p2, p3; 4 voids p2's service.
    const at2 = { reached: 2, services: [{ service: 'nursing', setting: 'home', count: 2, hours: 3 }], position: 2 };
    const at4 = { reached: 2, services: [{ service: 'nursing', setting: 'home', count: 2, hours: 3 }], position: 4 };
    const at3 = { reached: 3, services: [{ service: 'nursing', setting: 'home', count: 3, hours: 4.5 }], position: 3 };
    expect(await figuresAt(rm, 2)).toEqual(at2);
    expect(await figuresAt(rm, 3)).toEqual(at3);
    expect(await figuresAt(rm, 4)).toEqual(at4);
    expect(await figuresAt(rm, 2)).toEqual(at2);
    expect(await figuresAt(rm, 3)).toEqual(at3);
    // Later events change nothing of what an earlier position answers, also after a restart.
    await store.append('activity-a4', [delivered('a4', 'p4')], 'no_stream');
    expect(await figuresAt(rm, 3)).toEqual(at3);
    await rm.stop();
    const restarted = new ReadModels(store, dir);
    await restarted.start();
    try {
      expect(await figuresAt(restarted, 2)).toEqual(at2);
      expect(await figuresAt(restarted, 3)).toEqual(at3);
      expect(await figuresAt(restarted, 4)).toEqual(at4);
    } finally {
      await restarted.stop();
    }
  });

  it('a position past the head is taken as the head, so later events are not missed', async () => {
    expect(await figuresAt(rm, 1000)).toMatchObject({ reached: 2, position: 4 });
    await store.append('activity-a4', [delivered('a4', 'p4')], 'no_stream');
    expect(await figuresAt(rm, 1000)).toMatchObject({ reached: 3, position: 5 });
  });

  it('an answer asked again is the same; after an erasure, it is what a replay without the key gives', async () => {
    const sealed = Buffer.from(JSON.stringify({ sex: 'female', birthDate: '1961-01-01' })).toString('base64');
    mkdirSync(join(dir, 'opened'));
    const opened = new ReadModels(store, join(dir, 'opened'), (_, text) =>
      JSON.parse(Buffer.from(text, 'base64').toString()),
    );
    await store.append(
      'person-p1',
      [{ eventId: randomUUID(), type: 'PersonProfileRecorded', data: { pseudonym: 'p1', keyVersion: 1, sealed } }],
      'no_stream',
    );
    await opened.start();
    try {
      const sexAt5 = async () => {
        const s = await opened.asOf(5);
        const { female, unknown } = s.personsReached(P).bySex;
        return { female, unknown };
      };
      expect(await sexAt5()).toEqual({ female: 1, unknown: 1 });
      expect(await sexAt5()).toEqual({ female: 1, unknown: 1 });
      const w = await store.append(
        'person-p1',
        [{ eventId: randomUUID(), type: 'PersonErased', data: { pseudonym: 'p1', reason: 'asked' } }],
        'any',
      );
      await opened.waitFor(w.position, 5000);
      expect(await sexAt5()).toEqual({ female: 0, unknown: 2 });
    } finally {
      await opened.stop();
    }
  });

  it('concurrent requests for different positions each read their own point', async () => {
    const sets = await Promise.all([rm.asOf(1), rm.asOf(2), rm.asOf(3), rm.asOf(4)]);
    expect(sets.map((s) => s.personsReached(P).reached)).toEqual([1, 2, 3, 2]);
    expect(sets.map((s) => s.consistently(() => s.reached))).toEqual([1, 2, 3, 4]);
  });
});
