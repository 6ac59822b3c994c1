import Database from 'better-sqlite3';
import { UpcasterRegistry, type JsonValue, type StoredEvent } from '@ihl/event-store';
import type { LedgerEvent } from './ledger-events';
import type { Projection } from './projection';
import { ProjectionDispatch } from './projection-dispatch';

let position = 0;
const stored = (type: string, data: Record<string, JsonValue>, schemaVersion = 1): StoredEvent => ({
  position: ++position,
  streamId: 'project-P',
  revision: position - 1,
  eventId: String(position),
  type,
  schemaVersion,
  data,
  metadata: {},
  recordedAt: '2024-06-15T10:00:00Z',
});

/** Remembers what the runner hands it: the events, the batches it was given and those it wrote. */
function recorder(isFull?: (batch: string[]) => boolean) {
  const written: string[][] = [];
  let created = 0;
  const projection: Projection<LedgerEvent<'AllocationSet'>, string[]> = {
    name: 'rec',
    version: 1,
    tables: [],
    schema: '',
    handles: ['AllocationSet'],
    createBatch: () => {
      created++;
      return [];
    },
    evolve: (e, { batch }) => void batch.push(`${e.data.partnerId}/${e.data.categoryId}/${e.data.amountCents}`),
    commit: (batch) => void written.push(batch),
    ...(isFull ? { isFull } : {}),
  };
  return { projection, written, created: () => created };
}

describe('ProjectionDispatch', () => {
  const setUp = (projections: readonly Projection[], upcasters?: UpcasterRegistry) => {
    const db = new Database(':memory:');
    const dispatch = new ProjectionDispatch(db, projections, upcasters);
    dispatch.records.prepare(false);
    return dispatch;
  };
  const allocation = (amountCents: number) =>
    stored('AllocationSet', { partnerId: 'a', categoryId: 'staff', amountCents, previousCents: 0 });

  it('gives a projection only the types it handles, and one batch per commit', () => {
    const r = recorder();
    const dispatch = setUp([r.projection]);
    dispatch.apply(stored('PeriodLocked', { periodId: '2024-Q1' }));
    dispatch.apply(allocation(1));
    dispatch.apply(stored('PartnerRegistered', { partner: { id: 'b' } }));
    dispatch.apply(allocation(2));
    dispatch.commit();
    expect(r.written).toEqual([['a/staff/1', 'a/staff/2']]);
    // Nothing handled since: no batch is created, none written.
    dispatch.apply(stored('PeriodLocked', { periodId: '2024-Q2' }));
    dispatch.commit();
    expect(r.written).toHaveLength(1);
    expect(r.created()).toBe(1);
  });

  it('drops a discarded batch: what it gathered is never written', () => {
    const r = recorder();
    const dispatch = setUp([r.projection]);
    dispatch.apply(allocation(1));
    dispatch.discard();
    dispatch.apply(allocation(2));
    dispatch.commit();
    expect(r.written).toEqual([['a/staff/2']]);
  });

  it('writes a batch early when the projection says it is full, then starts a new one', () => {
    const r = recorder((batch) => batch.length === 2);
    const dispatch = setUp([r.projection]);
    for (const amount of [1, 2, 3]) dispatch.apply(allocation(amount));
    dispatch.commit();
    expect(r.written).toEqual([['a/staff/1', 'a/staff/2'], ['a/staff/3']]);
  });

  it('upcasts an event to its latest shape before a projection sees it', () => {
    const upcasters = new UpcasterRegistry().register('AllocationSet', 1, (data) => ({
      ...(data as Record<string, JsonValue>),
      categoryId: 'staff-costs',
    }));
    const r = recorder();
    const dispatch = setUp([r.projection], upcasters);
    dispatch.apply(allocation(1));
    dispatch.apply(stored('AllocationSet', { partnerId: 'a', categoryId: 'travel', amountCents: 2 }, 2));
    dispatch.commit();
    expect(r.written).toEqual([['a/staff-costs/1', 'a/travel/2']]);
  });
});
