import {
  causeKey,
  decideRaiseAlert,
  decideResolveAlert,
  decideRunOfChecks,
  foldAlerts,
  type Finding,
} from './alert.decider';
import type { AlertEvent } from './alert.events';

const over: Finding = {
  check: 'over-allocation',
  subject: { partnerId: 'visaginas-spc', categoryId: 'equipment' },
  details: { allocated: '10.00', declared: '12.00', eligible: '0.00' },
};
const silent: Finding = { check: 'no-submissions', subject: { partnerId: 'utena-spc' }, details: {} };

describe('alerts decider', () => {
  it('derives the cause from the check and the subject, parts in a fixed order', () => {
    expect(causeKey('over-allocation', { categoryId: 'equipment', partnerId: 'visaginas-spc' })).toBe(
      'over-allocation:visaginas-spc:equipment',
    );
    expect(causeKey('period-not-locked', { periodId: '2024-Q1' })).toBe('period-not-locked:2024-Q1');
  });

  it('given no alert, raising a finding raises it as the first alert of its cause', () => {
    expect(decideRaiseAlert(foldAlerts([]), over)).toEqual([
      {
        type: 'AlertRaised',
        data: {
          alertId: 'over-allocation:visaginas-spc:equipment#1',
          check: 'over-allocation',
          cause: 'over-allocation:visaginas-spc:equipment',
          subject: over.subject,
          details: over.details,
        },
      },
    ]);
  });

  it('given an open alert of the same cause, raising again decides nothing, whatever the details now', () => {
    const state = foldAlerts(decideRaiseAlert(foldAlerts([]), over));
    expect(decideRaiseAlert(state, { ...over, details: { declared: '99.00' } })).toEqual([]);
  });

  it('resolves only an open alert; after it, the same cause is raised again under a new id', () => {
    const raised = decideRaiseAlert(foldAlerts([]), over);
    const cause = 'over-allocation:visaginas-spc:equipment';
    expect(decideResolveAlert(foldAlerts([]), cause, 'fixed')).toEqual([]);
    const resolved = decideResolveAlert(foldAlerts(raised), cause, 'fixed');
    expect(resolved).toEqual([{ type: 'AlertResolved', data: { alertId: `${cause}#1`, cause, why: 'fixed' } }]);
    const after: AlertEvent[] = [...raised, ...resolved];
    expect(decideResolveAlert(foldAlerts(after), cause, 'fixed')).toEqual([]);
    expect(decideRaiseAlert(foldAlerts(after), over)[0]?.data.alertId).toBe(`${cause}#2`);
  });

  it('a run raises what is new, resolves what its checks no longer find, and a second run decides nothing', () => {
    const checks = ['over-allocation', 'no-submissions'];
    const first = decideRunOfChecks(foldAlerts([]), { checks, findings: [over, silent, over] });
    expect(first.map((e) => [e.type, e.data.cause])).toEqual([
      ['AlertRaised', 'over-allocation:visaginas-spc:equipment'],
      ['AlertRaised', 'no-submissions:utena-spc'],
    ]);
    expect(decideRunOfChecks(foldAlerts(first), { checks, findings: [over, silent] })).toEqual([]);
    const second = decideRunOfChecks(foldAlerts(first), { checks, findings: [silent] });
    expect(second).toEqual([
      {
        type: 'AlertResolved',
        data: {
          alertId: 'over-allocation:visaginas-spc:equipment#1',
          cause: 'over-allocation:visaginas-spc:equipment',
          why: 'no longer found by its check',
        },
      },
    ]);
  });

  it('leaves the alerts of a check that did not run as they are', () => {
    const first = decideRunOfChecks(foldAlerts([]), { checks: ['over-allocation'], findings: [over] });
    expect(decideRunOfChecks(foldAlerts(first), { checks: ['no-submissions'], findings: [] })).toEqual([]);
  });
});
