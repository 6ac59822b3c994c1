import type { CertificateFact, CheckFacts } from './alert-check';
import { certificateExpiredCheck, certificateExpiringCheck } from './certificate-expiry.check';

const facts = (certificates: CertificateFact[], certificateExpiryDays?: number): CheckFacts => ({
  today: '2024-06-15',
  thresholds: {
    verificationDays: 30,
    periodLockDays: 30,
    silentPartnerDays: 30,
    ...(certificateExpiryDays === undefined ? {} : { certificateExpiryDays }),
  },
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
  certificates,
});
const cert = (certificateId: string, validTo: string, withdrawnOn: string | null = null): CertificateFact => ({
  certificateId,
  partnerId: 'visaginas-spc',
  scheme: 'equass-assurance',
  validFrom: '2022-06-01',
  validTo,
  withdrawnOn,
});
const ids = (found: { subject: { recordId?: string } }[]) => found.map((f) => f.subject.recordId);

describe('certificate checks', () => {
  // Today 2024-06-15; 60 days on is 2024-08-14.
  const all = [
    cert('ends-in-61-days', '2024-08-15'),
    cert('ends-in-60-days', '2024-08-14'),
    cert('ends-today', '2024-06-15'),
    cert('ended-yesterday', '2024-06-14'),
    cert('withdrawn-and-ended', '2024-06-01', '2024-05-01'),
  ];

  it('given certificates, when checked, then those within 60 days of their last day (today included) are expiring', () => {
    expect(ids(certificateExpiringCheck.find(facts(all)))).toEqual(['ends-in-60-days', 'ends-today']);
  });

  it('given certificates, when checked, then those past their last day and not withdrawn are expired, with scheme and day', () => {
    const found = certificateExpiredCheck.find(facts(all));
    expect(found).toEqual([
      {
        check: 'certificate-expired',
        subject: { partnerId: 'visaginas-spc', recordId: 'ended-yesterday' },
        details: { scheme: 'equass-assurance', validTo: '2024-06-14' },
      },
    ]);
  });

  it('the warning period is configurable', () => {
    expect(ids(certificateExpiringCheck.find(facts(all, 61)))).toEqual([
      'ends-in-61-days',
      'ends-in-60-days',
      'ends-today',
    ]);
    expect(ids(certificateExpiringCheck.find(facts(all, 0)))).toEqual(['ends-today']);
  });

  it('without certificate facts nothing is found', () => {
    const { certificates: _, ...none } = facts([]);
    expect(certificateExpiringCheck.find(none)).toEqual([]);
  });
});
