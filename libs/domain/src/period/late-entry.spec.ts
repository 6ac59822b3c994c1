import type { DatingContext } from '../activity/activity-validation';
import { DomainValidationError } from '../shared/validation';
import { lateEntryOf } from './late-entry';

const ctx = (locked: string[], reportingPeriod: 'quarterly' | 'monthly' = 'quarterly'): DatingContext => ({
  projectStart: '2024-01-01',
  projectEnd: '2024-12-31',
  partnerJoinedOn: '2024-01-01',
  reportingPeriod,
  lockedPeriods: new Set(locked),
  today: '2024-12-31',
});

describe('lateEntryOf: where a record dated in a locked period is reported', () => {
  it('given its own period open, then no late entry', () => {
    expect(lateEntryOf('2024-03-14', ctx([]))).toEqual({});
    expect(lateEntryOf('2024-04-01', ctx(['2024-Q1']))).toEqual({});
  });
  it('given its own period locked, then the next period', () => {
    expect(lateEntryOf('2024-01-01', ctx(['2024-Q1']))).toEqual({ reportedIn: '2024-Q2' });
    expect(lateEntryOf('2024-03-31', ctx(['2024-Q1']))).toEqual({ reportedIn: '2024-Q2' });
  });
  it('given later periods locked too, then the first open one after its own, skipping the locked', () => {
    expect(lateEntryOf('2024-02-10', ctx(['2024-Q1', '2024-Q2']))).toEqual({ reportedIn: '2024-Q3' });
    // Q2 ended but not locked: its report is still open, so it takes the entry.
    expect(lateEntryOf('2024-02-10', ctx(['2024-Q1', '2024-Q3']))).toEqual({ reportedIn: '2024-Q2' });
  });
  it('walks months of a monthly project, across a year end', () => {
    expect(lateEntryOf('2024-05-20', ctx(['2024-05', '2024-06'], 'monthly'))).toEqual({ reportedIn: '2024-07' });
    const nextYear = { ...ctx(['2024-12']), projectEnd: '2025-06-30' };
    expect(lateEntryOf('2024-12-20', { ...nextYear, reportingPeriod: 'monthly' })).toEqual({ reportedIn: '2025-01' });
  });
  it('given every later period of the project locked, then refused: no report could take it', () => {
    const all = ctx(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    expect(() => lateEntryOf('2024-02-10', all)).toThrow(DomainValidationError);
    try {
      lateEntryOf('2024-12-31', ctx(['2024-Q4']));
      throw new Error('not refused');
    } catch (e) {
      expect((e as DomainValidationError).issues.map((i) => [i.field, i.rule])).toEqual([
        ['occurredOn', 'period-not-locked'],
      ]);
    }
  });
});
