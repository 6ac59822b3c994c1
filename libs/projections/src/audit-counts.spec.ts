import fc from 'fast-check';
import type { JsonValue } from '@ihl/event-store';
import { auditTotal } from './audit-counts';
import { auditPageAfter, auditPageNumber } from './audit-keyset';
import { auditPage, scopePositions } from '../../../test/support/audit-union';
import { auditTrailProjectionMarking, scopeArgs, type AuditScope } from './audit-trail.projection';
import { projectionHarness } from './projection-harness';
import type { Sql } from './statement-cache';

const PROJECTS = ['P', 'Q'];
const PARTNERS = ['a', 'b', 'c'];
const CATEGORIES = ['staff', 'equipment'];
const KINDS = [
  ['ServiceDelivered', 'service-delivered'],
  ['TrainingHeld', 'training-held'],
] as const;

/** Creations, later events (some change the record, some do not) and allocations, on small pools. */
const op = fc.oneof(
  fc.record({
    op: fc.constant('create' as const),
    id: fc.nat(7),
    project: fc.nat(1),
    partner: fc.nat(2),
    kind: fc.nat(2),
    category: fc.nat(1),
  }),
  fc.record({
    op: fc.constantFrom('void' as const, 'verify' as const, 'recategorise' as const),
    id: fc.nat(7),
    category: fc.nat(1),
  }),
  fc.record({ op: fc.constant('allocate' as const), project: fc.nat(1), partner: fc.nat(2), category: fc.nat(1) }),
);
/**
 * Events that try to move a record out of the scope its marks counted it in: a second creation on
 * a known stream (a client reusing an id) and corrections naming another project, partner or kind.
 */
const hostile = fc.oneof(
  op,
  fc.record({
    op: fc.constantFrom('recreate' as const, 'rescope' as const),
    id: fc.nat(7),
    project: fc.nat(1),
    partner: fc.nat(2),
    kind: fc.nat(2),
    category: fc.nat(1),
  }),
);
type Op = typeof hostile extends fc.Arbitrary<infer T> ? T : never;

/**
 * Applies the ops one event per batch, as the live runner may, with a mark every `markEvery` record
 * events of a project; events of unknown records are skipped.
 */
function replay(ops: Op[], markEvery: number, batches?: number[]): Sql {
  // Batched: no history kept, so the audit's commit takes every event of a batch at once.
  const { db, apply, batch } = projectionHarness([auditTrailProjectionMarking(markEvery)], {
    versioned: batches === undefined,
  });
  const kinds = new Map<number, number>();
  const one = (o: Op) => {
    const kind = o.op === 'allocate' ? undefined : kinds.get(o.id);
    const stream =
      kind === 2 ? `expenditure-x${o.op === 'allocate' ? 0 : o.id}` : `activity-r${o.op === 'allocate' ? 0 : o.id}`;
    if (o.op === 'recreate' || o.op === 'rescope') {
      if (kind !== undefined) applyHostile(apply, o, kind === 2 ? `expenditure-x${o.id}` : `activity-r${o.id}`);
    } else if (o.op === 'allocate')
      apply(`project-${PROJECTS[o.project]!}`, 'AllocationSet', {
        partnerId: PARTNERS[o.partner]!,
        categoryId: CATEGORIES[o.category]!,
        amountCents: 1,
      });
    else if (o.op === 'create' && kind === undefined) {
      kinds.set(o.id, o.kind);
      const base = { projectCode: PROJECTS[o.project]!, partnerId: PARTNERS[o.partner]! };
      if (o.kind === 2)
        apply(`expenditure-x${o.id}`, 'ExpenditureDeclared', {
          ...base,
          expenditureId: `x${o.id}`,
          fields: { categoryId: CATEGORIES[o.category]! },
        });
      else
        apply(`activity-r${o.id}`, KINDS[o.kind]![0], {
          ...base,
          activityId: `r${o.id}`,
          fields: { kind: KINDS[o.kind]![1] },
        });
    } else if (kind !== undefined && o.op !== 'create') {
      const expense = kind === 2;
      if (o.op === 'void') apply(stream, expense ? 'ExpenditureVoided' : 'ActivityVoided', {});
      // An activity's verification changes no record: only records_events has it.
      else if (o.op === 'verify') apply(stream, expense ? 'ExpenditureVerified' : 'ActivityVerified', {});
      else if (expense) apply(stream, 'ExpenditureCorrected', { fields: { categoryId: CATEGORIES[o.category]! } });
    }
  };
  if (batches === undefined) ops.forEach(one);
  else
    for (let from = 0, i = 0; from < ops.length; from += batches[i++ % batches.length]!) {
      const cut = ops.slice(from, from + batches[i % batches.length]!);
      batch(() => cut.forEach(one));
    }
  return db;
}

type Apply = ReturnType<typeof projectionHarness>['apply'];

/** A creation again on the record's stream, or a correction naming another project, partner and kind. */
function applyHostile(apply: Apply, o: Extract<Op, { op: 'recreate' | 'rescope' }>, stream: string): void {
  const base = { projectCode: PROJECTS[o.project]!, partnerId: PARTNERS[o.partner]! };
  const expense = stream.startsWith('expenditure-');
  const fields: Record<string, JsonValue> = expense
    ? { categoryId: CATEGORIES[o.category]! }
    : { kind: KINDS[o.kind % 2]![1] };
  if (o.op === 'recreate')
    apply(stream, expense ? 'ExpenditureDeclared' : KINDS[o.kind % 2]![0], {
      ...base,
      [expense ? 'expenditureId' : 'activityId']: stream.slice(stream.indexOf('-') + 1),
      fields,
    });
  else apply(stream, expense ? 'ExpenditureCorrected' : 'ActivityCorrected', { ...base, fields });
}

const marksOf = (db: Sql) => db.prepare('select * from audit_marks order by 1, 2, 3, 4').all();

/** Every scope the API can ask for, over the pools. */
function scopes(): AuditScope[] {
  const all: AuditScope[] = [];
  for (const projectCode of [...PROJECTS, 'none'])
    for (const partnerId of [undefined, ...PARTNERS, 'nobody']) {
      all.push({ projectCode, figure: 'persons-reached', partnerId });
      for (const kind of [undefined, 'service-delivered', 'training-held'])
        all.push({ projectCode, figure: 'volumes', partnerId, kind });
      for (const categoryId of [undefined, ...CATEGORIES, 'other'])
        all.push({ projectCode, figure: 'budget', partnerId, categoryId });
    }
  return all;
}

/**
 * Every scope's total is a count of it, the cursor pages give every position once, and every page
 * by number (and the one past the end) is the union cut.
 */
function expectPagesAsUnion(db: Sql, size: number, among = scopes()): void {
  for (const scope of among) {
    const args = scopeArgs(scope);
    const counted = db.prepare(`select count(*) as n from (${scopePositions(scope)})`).get({ ...args, after: 0 }) as {
      n: number;
    };
    expect(auditTotal(db, args, scope.figure === 'budget')).toBe(counted.n);
    const all = auditPage(db, scope, 1, counted.n + 1).positions;
    const paged: number[] = [];
    for (let after: number | null = 0; after !== null;) {
      const page: { positions: number[]; next: number | null } = auditPageAfter(db, scope, after, 3);
      paged.push(...page.positions);
      after = page.next;
    }
    expect(paged).toEqual(all);
    for (let page = 1; page <= Math.ceil(all.length / size) + 1; page++) {
      const byNumber = auditPageNumber(db, scope, page, size);
      expect(byNumber.positions).toEqual(auditPage(db, scope, page, size).positions);
      expect(byNumber.total).toBe(counted.n);
      expect(byNumber.next).toBe(page * size < all.length ? all[page * size - 1]! : null);
    }
  }
}

describe('audit counts', () => {
  it('equal a count of the scope on random logs, the cursor pages give every position once, and every page by number is the union cut', () => {
    fc.assert(
      // Marks every 1-5 record events: pages start on them, between them and past the last one.
      fc.property(
        fc.array(op, { maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        (ops, markEvery, size) => {
          const db = replay(ops, markEvery);
          expectPagesAsUnion(db, size);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('pages by number hold on hostile logs (ids reused, corrections naming another scope) in batches crossing several marks, with the marks of one event per batch', () => {
    fc.assert(
      // Batches of 1-9 events against marks every 1-3: one commit often reaches two or three marks.
      fc.property(
        fc.array(hostile, { maxLength: 80 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        (ops, markEvery, size, batches) => {
          const each = replay(ops, markEvery);
          const batched = replay(ops, markEvery, batches);
          expect(marksOf(batched)).toEqual(marksOf(each));
          expectPagesAsUnion(each, size);
          expectPagesAsUnion(batched, size);
        },
      ),
      { numRuns: 40 },
    );
    // Two replays and every scope's pages per run: generous for a loaded host.
  }, 180_000);

  it('scopes under 1 % of their project (read sparse) page by number from the marks as the union cut, with later events of records made before many marks', () => {
    const { db, apply } = projectionHarness([auditTrailProjectionMarking(4)]);
    const made = (stream: string, type: string, partnerId: string, fields: Record<string, JsonValue>) =>
      apply(stream, type, { projectCode: 'P', partnerId, activityId: stream, expenditureId: stream, fields });
    for (let i = 0; i < 1000; i++) {
      made(`activity-s${i}`, 'ServiceDelivered', 'a', { kind: 'service-delivered' });
      if (i % 500 === 0) made(`activity-rare${i}`, 'TrainingHeld', 'b', { kind: 'training-held' });
      // The first rare record's later events, each after dozens of marks of the project.
      if (i % 300 === 299) apply('activity-rare0', 'ActivityVerified', {});
      // An allocation before the marks too: a budget mark's rank counts it.
      if (i === 10) apply('project-P', 'AllocationSet', { partnerId: 'b', categoryId: 'staff', amountCents: 2 });
      if (i % 200 === 199) made(`expenditure-x${i}`, 'ExpenditureDeclared', 'b', { categoryId: 'staff' });
    }
    apply('project-P', 'AllocationSet', { partnerId: 'b', categoryId: 'staff', amountCents: 1 });
    const sparse: AuditScope[] = [
      { projectCode: 'P', figure: 'volumes', partnerId: 'b' },
      { projectCode: 'P', figure: 'volumes', partnerId: 'b', kind: 'training-held' },
      { projectCode: 'P', figure: 'budget', partnerId: 'b' },
      { projectCode: 'P', figure: 'budget' },
    ];
    // 1,010 record events: every scope above holds under 1 % (at most 7), so it is read sparse.
    expect(db.prepare('select sum(n) as n from audit_counts').get()).toEqual({ n: 1010 });
    expect(sparse.map((s) => auditTotal(db, scopeArgs(s), s.figure === 'budget'))).toEqual([5, 5, 7, 7]);
    for (const size of [1, 2, 3, 4, 5]) expectPagesAsUnion(db, size, sparse);
    expectPagesAsUnion(db, 97);
  }, 120_000);
});
