import type { PartnerProgress } from '../../progress/partner-trajectory';
import type { CheckFacts } from './alert-check';
import { awaitingVerificationCheck } from './awaiting-verification.check';
import { behindTrajectoryCheck } from './behind-trajectory.check';
import { findingOverdueCheck } from './finding-overdue.check';
import { noSubmissionsCheck } from './no-submissions.check';
import { overAllocationCheck } from './over-allocation.check';
import { periodNotLockedCheck } from './period-not-locked.check';

const facts = (over: Partial<CheckFacts> = {}): CheckFacts => ({
  today: '2024-06-15',
  thresholds: { verificationDays: 30, periodLockDays: 30, silentPartnerDays: 30 },
  project: {
    period: { start: '2023-10-02', end: '2026-12-31' },
    reportingPeriod: 'quarterly',
    lockedPeriods: new Set(),
    partners: [],
  },
  partnerProgress: [],
  budgetLines: [],
  pendingRecords: [],
  lastSubmittedOn: new Map(),
  openFindings: [],
  ...over,
});
const causes = (findings: { subject: object }[]) => findings.map((f) => f.subject);

describe('behind-trajectory check', () => {
  const progress = (partnerId: string, behind: boolean): PartnerProgress => ({
    partnerId,
    target: 100,
    actual: 10,
    expectedToDate: behind ? 20 : 10,
    gap: behind ? 10 : 0,
    forecastAtDeadline: 50,
    behind,
  });
  it('finds the partners behind their line, with their figures', () => {
    const found = behindTrajectoryCheck.find(facts({ partnerProgress: [progress('a', true), progress('b', false)] }));
    expect(found).toEqual([
      {
        check: 'behind-trajectory',
        subject: { partnerId: 'a' },
        details: { target: 100, actual: 10, expectedToDate: 20, gap: 10 },
      },
    ]);
  });
});

describe('over-allocation check', () => {
  const line = (categoryId: string, allocated: bigint, declared: bigint, eligible: bigint) => ({
    partnerId: 'a',
    categoryId,
    allocatedCents: allocated,
    declaredCents: declared,
    eligibleCents: eligible,
  });
  it('finds a line whose declared or eligible amount passes its allocation, not one at it', () => {
    const found = overAllocationCheck.find(
      facts({
        budgetLines: [
          line('staff', 1000n, 1000n, 1000n),
          line('equipment', 1000n, 1001n, 0n),
          line('travel', 0n, 5n, 0n),
        ],
      }),
    );
    expect(found.map((f) => [f.subject, f.details])).toEqual([
      [
        { partnerId: 'a', categoryId: 'equipment' },
        { allocated: '10.00', declared: '10.01', eligible: '0.00' },
      ],
      [
        { partnerId: 'a', categoryId: 'travel' },
        { allocated: '0.00', declared: '0.05', eligible: '0.00' },
      ],
    ]);
  });
});

describe('awaiting-verification check', () => {
  it('finds records recorded more than N days before today (31, not 30), by their recorded day', () => {
    const pending = (recordId: string, recordedOn: string) => ({
      recordId,
      partnerId: 'a',
      kind: 'expenditure',
      recordedOn,
    });
    const found = awaitingVerificationCheck.find(
      facts({
        pendingRecords: [pending('r1', '2024-05-16'), pending('r2', '2024-05-17'), pending('r3', '2024-05-15')],
      }),
    );
    expect(causes(found)).toEqual([{ partnerId: 'a', recordId: 'r3' }]);
    expect(found[0]?.details).toEqual({ kind: 'expenditure', recordedOn: '2024-05-15' });
    expect(
      causes(
        awaitingVerificationCheck.find(
          facts({
            pendingRecords: [pending('r2', '2024-05-17')],
            thresholds: { verificationDays: 0, periodLockDays: 30, silentPartnerDays: 30 },
          }),
        ),
      ),
    ).toEqual([{ partnerId: 'a', recordId: 'r2' }]);
  });
});

describe('period-not-locked check', () => {
  it('finds the periods of the project ended more than M days ago and not locked', () => {
    const project = { ...facts().project, lockedPeriods: new Set(['2023-Q4']) };
    // 2024-Q1 ended 2024-03-31, 76 days before today; 2024-Q2 has not ended.
    expect(causes(periodNotLockedCheck.find(facts({ project })))).toEqual([{ periodId: '2024-Q1' }]);
    const lenient = { verificationDays: 30, periodLockDays: 80, silentPartnerDays: 30 };
    expect(periodNotLockedCheck.find(facts({ project, thresholds: lenient }))).toEqual([]);
  });
  it('reads monthly periods when the project reports monthly', () => {
    const project = {
      ...facts().project,
      reportingPeriod: 'monthly' as const,
      period: { start: '2024-03-10', end: '2026-12-31' },
    };
    expect(causes(periodNotLockedCheck.find(facts({ project })))).toEqual([
      { periodId: '2024-03' },
      { periodId: '2024-04' },
    ]);
  });
});

describe('no-submissions check', () => {
  const partners = [
    { partnerId: 'active', joinedOn: '2023-10-02' },
    { partnerId: 'silent', joinedOn: '2023-10-02' },
    { partnerId: 'never', joinedOn: '2023-10-02' },
    { partnerId: 'new', joinedOn: '2024-06-01' },
  ];
  const project = { ...facts().project, partners };
  const lastSubmittedOn = new Map([
    ['active', '2024-05-16'],
    ['silent', '2024-05-15'],
  ]);
  it('finds partners silent for more than N days since their latest record or their joining', () => {
    const found = noSubmissionsCheck.find(facts({ project, lastSubmittedOn }));
    expect(found.map((f) => [f.subject, f.details])).toEqual([
      [{ partnerId: 'silent' }, { lastSubmittedOn: '2024-05-15', joinedOn: '2023-10-02' }],
      [{ partnerId: 'never' }, { lastSubmittedOn: null, joinedOn: '2023-10-02' }],
    ]);
  });
  it('finds nothing once the project has ended', () => {
    expect(noSubmissionsCheck.find(facts({ project, lastSubmittedOn, today: '2027-02-01' }))).toEqual([]);
  });
});

describe('finding-overdue', () => {
  const open = (findingId: string, dueOn: string) => ({
    inspectionId: 'i-1',
    findingId,
    partnerId: 'visaginas-spc',
    severity: 'major',
    dueOn,
  });
  it('finds open findings due before today, not those due today or later', () => {
    const found = findingOverdueCheck.find(
      facts({ openFindings: [open('late', '2024-06-14'), open('today', '2024-06-15'), open('later', '2024-07-01')] }),
    );
    expect(found).toEqual([
      {
        check: 'finding-overdue',
        subject: { partnerId: 'visaginas-spc', recordId: 'i-1/late' },
        details: { severity: 'major', dueOn: '2024-06-14' },
      },
    ]);
  });
});
