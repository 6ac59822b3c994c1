import { auditPage } from '../../../test/support/audit-union';
import { auditTrailProjection } from './audit-trail.projection';
import { projectionHarness } from './projection-harness';

describe('audit trail index', () => {
  const { db, apply } = projectionHarness([auditTrailProjection]);
  const TYPES: Record<string, string> = { 'service-delivered': 'ServiceDelivered', 'training-held': 'TrainingHeld' };
  const record = (id: string, partnerId: string, kind: string) =>
    apply(`activity-${id}`, TYPES[kind]!, { activityId: id, projectCode: 'P', partnerId, fields: { kind } });
  const expense = (id: string, partnerId: string, categoryId: string) =>
    apply(`expenditure-${id}`, 'ExpenditureDeclared', {
      expenditureId: id,
      projectCode: 'P',
      partnerId,
      fields: { categoryId },
    });

  const s1 = record('s1', 'a', 'service-delivered'); // 1
  const t1 = record('t1', 'a', 'training-held'); // 2
  const s2 = record('s2', 'b', 'service-delivered'); // 3
  const s1void = apply('activity-s1', 'ActivityVoided', { activityId: 's1' }); // 4
  const x1 = expense('x1', 'a', 'staff'); // 5
  const alloc = apply('project-P', 'AllocationSet', { partnerId: 'a', categoryId: 'equipment', amountCents: 1 }); // 6
  const x1moved = apply('expenditure-x1', 'ExpenditureCorrected', {
    expenditureId: 'x1',
    fields: { categoryId: 'equipment' },
  }); // 7
  apply('person-p1', 'PersonProfileRecorded', { pseudonym: 'p1' }); // 8: in no figure
  // 9: a service of another project (written as such: the counts are kept as events arrive).
  apply('activity-other', 'ServiceDelivered', {
    activityId: 'other',
    projectCode: 'Q',
    partnerId: 'a',
    fields: { kind: 'service-delivered' },
  });

  it('pages the events of the figure in log order, with the total', () => {
    const all = { projectCode: 'P', figure: 'persons-reached' as const };
    expect(auditPage(db, all, 1, 2)).toEqual({ total: 3, positions: [s1, s2] });
    expect(auditPage(db, all, 2, 2)).toEqual({ total: 3, positions: [s1void] });
    expect(auditPage(db, all, 3, 2)).toEqual({ total: 3, positions: [] });
  });

  it('narrows by partner and kind; volumes cover every activity kind', () => {
    expect(auditPage(db, { projectCode: 'P', figure: 'persons-reached', partnerId: 'b' }, 1, 10).positions).toEqual([
      s2,
    ]);
    expect(auditPage(db, { projectCode: 'P', figure: 'volumes' }, 1, 10).positions).toEqual([s1, t1, s2, s1void]);
    expect(auditPage(db, { projectCode: 'P', figure: 'volumes', kind: 'training-held' }, 1, 10).positions).toEqual([
      t1,
    ]);
  });

  it('the budget has the expenditures and the allocations; a corrected category moves the record', () => {
    expect(auditPage(db, { projectCode: 'P', figure: 'budget' }, 1, 10).positions).toEqual([x1, alloc, x1moved]);
    expect(auditPage(db, { projectCode: 'P', figure: 'budget', categoryId: 'staff' }, 1, 10).total).toBe(0);
    expect(
      auditPage(db, { projectCode: 'P', figure: 'budget', categoryId: 'equipment', partnerId: 'a' }, 1, 10),
    ).toEqual({
      total: 3,
      positions: [x1, alloc, x1moved],
    });
    expect(auditPage(db, { projectCode: 'P', figure: 'budget', partnerId: 'b' }, 1, 10).total).toBe(0);
  });
});
