import fc from 'fast-check';
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
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/**
 * Applies the ops one event per batch, as the live runner may, with a mark every `markEvery` record
 * events of a project; events of unknown records are skipped.
 */
function replay(ops: Op[], markEvery: number): Sql {
  const { db, apply } = projectionHarness([auditTrailProjectionMarking(markEvery)]);
  const kinds = new Map<number, number>();
  for (const o of ops) {
    const kind = o.op === 'allocate' ? undefined : kinds.get(o.id);
    const stream =
      kind === 2 ? `expenditure-x${o.op === 'allocate' ? 0 : o.id}` : `activity-r${o.op === 'allocate' ? 0 : o.id}`;
    if (o.op === 'allocate')
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
  }
  return db;
}

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
          for (const scope of scopes()) {
            const args = scopeArgs(scope);
            const counted = db
              .prepare(`select count(*) as n from (${scopePositions(scope)})`)
              .get({ ...args, after: 0 }) as {
              n: number;
            };
            expect(auditTotal(db, args, scope.figure === 'budget')).toBe(counted.n);
            const all = auditPage(db, scope, 1, 1000).positions;
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
        },
      ),
      { numRuns: 60 },
    );
  });
});
