import { randomUUID } from 'node:crypto';
import { SqliteEventStore, type EventStore } from '@ihl/event-store';
import { LedgerPoints, ledgerPoint } from './ledger-point';

const CODE = `P-${randomUUID().slice(0, 8)}`;
const partner = (id: string) => ({ id, name: id, joinedOn: '2024-01-01' });

describe('LedgerPoints: points asked for before', () => {
  let store: SqliteEventStore;
  /** The store's reads, counted. */
  let reads: number;
  let counted: EventStore;
  const positions: number[] = [];

  beforeAll(async () => {
    store = new SqliteEventStore({ file: ':memory:' });
    const registered = await store.append(
      `project-${CODE}`,
      [
        {
          eventId: randomUUID(),
          type: 'ProjectRegistered',
          data: { definition: { code: CODE, envelopeCents: 100_00, partners: [partner('a')] } },
        },
      ],
      'no_stream',
    );
    positions.push(registered.position);
    for (let i = 0; i < 3; i++)
      positions.push(
        (await store.append(`other-${i}`, [{ eventId: randomUUID(), type: 'A', data: {} }], 'any')).position,
      );
    const joined = await store.append(
      `project-${CODE}`,
      [{ eventId: randomUUID(), type: 'PartnerRegistered', data: { partner: partner('b') } }],
      'any',
    );
    positions.push(joined.position);
    counted = Object.assign(Object.create(store) as EventStore, {
      readStream: (...a: Parameters<EventStore['readStream']>) => ((reads += 1), store.readStream(...a)),
      readAll: (...a: Parameters<EventStore['readAll']>) => ((reads += 1), store.readAll(...a)),
    });
  });
  afterAll(() => store.close());
  beforeEach(() => (reads = 0));

  it('answers as ledgerPoint does, and a point asked again reads nothing from the store', async () => {
    const points = new LedgerPoints();
    for (const p of positions)
      expect(await points.at(counted, CODE, p)).toEqual({ ...(await ledgerPoint(store, CODE, p)), fixed: true });
    reads = 0;
    for (const p of positions) await points.at(counted, CODE, p);
    expect(reads).toBe(0);
    // One project per revision of its stream: the four points before the partner joined share one.
    expect(points.size).toEqual({ points: 5, projects: 2 });
    expect((await points.at(counted, CODE, positions[4]!)).project.partners.has('b')).toBe(true);
    expect((await points.at(counted, CODE, positions[3]!)).project.partners.has('b')).toBe(false);
  });

  it('keeps at most its points, and only the revisions they hold', async () => {
    const points = new LedgerPoints(2);
    for (const p of positions) await points.at(counted, CODE, p);
    expect(points.size).toEqual({ points: 2, projects: 2 });
    await points.at(counted, CODE, positions[0]!);
    await points.at(counted, CODE, positions[1]!);
    expect(points.size).toEqual({ points: 2, projects: 1 });
  });

  it('does not keep a point past the head, which the next events would change', async () => {
    const points = new LedgerPoints();
    const past = positions[4]! + 100;
    expect((await points.at(counted, CODE, past)).fixed).toBe(false);
    expect(points.size.points).toBe(0);
  });
});
