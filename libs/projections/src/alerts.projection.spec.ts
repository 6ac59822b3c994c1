import { alertsPage, alertsProjection } from './alerts.projection';
import { projectionHarness } from './projection-harness';

describe('alerts projection', () => {
  it('lists a project’s alerts open, resolved or all, narrowed to a partner, paged in raise order', () => {
    const { db, apply } = projectionHarness([alertsProjection]);
    const raise = (stream: string, alertId: string, subject: Record<string, string>) =>
      apply(stream, 'AlertRaised', { alertId, check: 'c', cause: alertId.split('#')[0]!, subject, details: { n: 1 } });
    const first = raise('alerts-P', 'c:x#1', { partnerId: 'x' });
    raise('alerts-P', 'c:2024-Q1#1', { periodId: '2024-Q1' });
    raise('alerts-P', 'c:y:r1#1', { partnerId: 'y', recordId: 'r1' });
    raise('alerts-Q', 'c:x#1', { partnerId: 'x' });
    const resolved = apply('alerts-P', 'AlertResolved', { alertId: 'c:x#1', cause: 'c:x', why: 'gone' });

    const open = alertsPage(db, 'P', { status: 'open', page: 1, pageSize: 50 });
    expect(open.total).toBe(2);
    expect(open.alerts.map((a) => [a.alertId, a.subject, a.status])).toEqual([
      ['c:2024-Q1#1', { periodId: '2024-Q1' }, 'open'],
      ['c:y:r1#1', { partnerId: 'y', recordId: 'r1' }, 'open'],
    ]);
    expect(alertsPage(db, 'P', { status: 'resolved', page: 1, pageSize: 50 }).alerts).toEqual([
      {
        alertId: 'c:x#1',
        check: 'c',
        cause: 'c:x',
        subject: { partnerId: 'x' },
        details: { n: 1 },
        status: 'resolved',
        raisedAt: '2024-06-15T10:00:00Z',
        raisedPosition: first,
        resolvedAt: '2024-06-15T10:00:00Z',
        resolvedPosition: resolved,
        resolvedWhy: 'gone',
      },
    ]);
    const page2 = alertsPage(db, 'P', { status: 'all', page: 2, pageSize: 2 });
    expect([page2.total, page2.alerts.map((a) => a.alertId)]).toEqual([3, ['c:y:r1#1']]);
    expect(alertsPage(db, 'P', { status: 'all', partnerId: 'y', page: 1, pageSize: 50 }).alerts).toHaveLength(1);
  });
});
