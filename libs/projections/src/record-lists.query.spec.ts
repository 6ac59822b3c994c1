import type { JsonValue } from '@ihl/event-store';
import { projectionHarness } from './projection-harness';
import {
  expenditureRegister,
  listRecords,
  listSql,
  queueSql,
  verificationQueue,
  RECORD_SORTS,
  type RecordListFilter,
} from './record-lists.query';

const P = '07-003-P-0001';
const PARTNERS = ['a', 'b'];
const CURSOR = { seq: 1, position: 1, date: '2024-01-01' };

describe('record lists over the records table', () => {
  const { db, apply } = projectionHarness([]);
  const visit = (
    id: string,
    partnerId: string,
    occurredOn: string,
    workerRef: string,
    person = 'p1_' + 'a'.repeat(64),
  ) =>
    apply(`activity-${id}`, 'ServiceDelivered', {
      activityId: id,
      partnerId,
      projectCode: P,
      fields: {
        kind: 'service-delivered',
        occurredOn,
        service: 'nursing',
        setting: 'home',
        targetGroup: 'elderly',
        durationMinutes: 60,
        workerRef,
        recipient: { pseudonym: person, keyVersion: 1 },
      } as JsonValue,
    });
  const spend = (id: string, partnerId: string, occurredOn: string, amountCents: number, documentRef: string) =>
    apply(`expenditure-${id}`, 'ExpenditureDeclared', {
      expenditureId: id,
      partnerId,
      projectCode: P,
      fields: { categoryId: 'staff', amountCents, occurredOn, documentRef, description: 'x' },
    });

  beforeAll(() => {
    visit('a1', 'a', '2024-03-02', 'w1');
    visit('a2', 'b', '2024-03-01', 'w2', 'p1_' + 'b'.repeat(64));
    visit('a3', 'a', '2024-02-01', 'w1');
    apply('activity-a1', 'ActivityVerified', { activityId: 'a1', partnerId: 'a', note: 'ok' });
    apply('activity-a3', 'ActivityRejected', { activityId: 'a3', partnerId: 'a', reason: 'no log' });
    visit('a4', 'a', '2024-03-03', 'w3');
    apply('activity-a4', 'ActivityVoided', { activityId: 'a4', partnerId: 'a', reason: 'dup' });
    spend('e1', 'a', '2024-03-10', 10000, 'INV-1');
    spend('e2', 'b', '2024-04-10', 5000, 'INV-2');
    apply('expenditure-e1', 'ExpenditureVerified', {
      expenditureId: 'e1',
      partnerId: 'a',
      eligibleCents: 9000,
      ineligibleCents: 1000,
      note: 'one line out',
    });
  });

  const ids = (f: Partial<RecordListFilter>, sort: (typeof RECORD_SORTS)[number] = 'recorded') =>
    listRecords(db, { projectCode: P, records: 'activities', ...f }, sort, null, 50, PARTNERS).records.map((r) => r.id);

  it('filters narrow to the records asked for', () => {
    expect(ids({})).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(ids({ partnerId: 'b' })).toEqual(['a2']);
    expect(ids({ state: 'verified' })).toEqual(['a1']);
    expect(ids({ state: 'rejected' })).toEqual(['a3']);
    expect(ids({ state: 'pending' })).toEqual(['a2']);
    expect(ids({ state: 'voided' })).toEqual(['a4']);
    expect(ids({ from: '2024-03-01', to: '2024-03-02' })).toEqual(['a1', 'a2']);
    expect(ids({ workerRef: 'w1' })).toEqual(['a1', 'a3']);
    expect(ids({ kind: 'training-held' })).toEqual([]);
    expect(ids({ person: 'p1_' + 'b'.repeat(64) })).toEqual(['a2']);
    expect(ids({ person: 'p1_' + 'c'.repeat(64) })).toEqual([]);
    expect(ids({}, 'date')).toEqual(['a3', 'a2', 'a1', 'a4']);
    expect(ids({}, '-date')).toEqual(['a4', 'a1', 'a2', 'a3']);
    expect(ids({}, '-recorded')).toEqual(['a4', 'a3', 'a2', 'a1']);
    const e = listRecords(
      db,
      { projectCode: P, records: 'expenditures', documentRef: 'INV-1' },
      'recorded',
      null,
      9,
      PARTNERS,
    );
    expect(e.records).toEqual([
      expect.objectContaining({
        id: 'e1',
        amountCents: 10000,
        eligibleCents: 9000,
        state: 'verified',
        verdictNote: 'one line out',
      }),
    ]);
  });

  it.each(RECORD_SORTS)('pages by cursor through every record once (%s)', (sort) => {
    const all = ids({}, sort);
    const seen: string[] = [];
    let after = null;
    do {
      const page = listRecords(db, { projectCode: P, records: 'activities' }, sort, after, 1, PARTNERS);
      seen.push(...page.records.map((r) => r.id));
      after = page.next;
    } while (after);
    expect(seen).toEqual(all);
  });

  it('the queue holds what awaits review, oldest first; the register the expenditures of a period', () => {
    expect(verificationQueue(db, P, PARTNERS, null, 10).records.map((r) => [r.record, r.id])).toEqual([
      ['activity', 'a2'],
      ['expenditure', 'e2'],
    ]);
    expect(verificationQueue(db, P, ['a'], null, 10).records).toEqual([]);
    expect(verificationQueue(db, P, PARTNERS, null, 10, 'expenditure').records.map((r) => r.id)).toEqual(['e2']);
    expect(verificationQueue(db, P, PARTNERS, null, 10, 'activity').records.map((r) => r.id)).toEqual(['a2']);
    expect(expenditureRegister(db, P, { from: '2024-03-01', to: '2024-03-31' }, undefined).map((r) => r.id)).toEqual([
      'e1',
    ]);
  });

  it('a page is an index seek, never a scan of the table nor a sort of it', () => {
    const plan = (q: { sql: string; args: object } | null) =>
      (db.prepare(`explain query plan ${q!.sql}`).all(q!.args) as { detail: string }[]).map((r) => r.detail);
    const filters: Partial<RecordListFilter>[] = [
      {},
      { partnerId: 'a' },
      { partnerId: 'a', kind: 'service-delivered' },
    ];
    for (const records of ['activities', 'expenditures'] as const)
      for (const f of filters)
        for (const sort of RECORD_SORTS) {
          const detail = plan(listSql({ projectCode: P, records, ...f }, sort, CURSOR, 10, PARTNERS));
          const reads = detail.filter((d) => / r( |$)/.test(d));
          expect({ records, f, sort, reads }).toEqual({
            records,
            f,
            sort,
            reads: reads.map(() =>
              expect.stringMatching(/^SEARCH r USING (INDEX records_|INTEGER PRIMARY KEY \(rowid[<>]\?\))/),
            ),
          });
          // Only a merge of walks (each at most a page) is sorted, never one walk's range.
          if (reads.length === 1) expect(detail.join(' | ')).not.toMatch(/TEMP B-TREE/);
        }
    for (const partners of [['a'], PARTNERS]) {
      const detail = plan(queueSql(P, partners, CURSOR, 10));
      const reads = detail.filter((d) => / r( |$)/.test(d));
      expect(reads).toEqual(reads.map(() => expect.stringMatching(/^SEARCH r USING INDEX records_queue_partner/)));
      expect(reads).toHaveLength(partners.length);
    }
  });
});
