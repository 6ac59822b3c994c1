import { conflict, deciderSpec, forbidden, invalid } from '@ihl/testing';
import type { ActivityActor } from '../activity/activity.state';
import { DomainNotFoundError } from '../shared/validation';
import { decideCertification, type CertificationCommand, type CertificationContext } from './certification.decider';
import type { CertificationEvent } from './certification.events';
import { certificateStatus, evolveCertificate, foldCertificate } from './certification.state';

const auditor: ActivityActor = { role: 'agency-auditor' };
const visaginas: ActivityActor = { role: 'partner-submitter', partnerId: 'visaginas-spc' };
const finance: ActivityActor = { role: 'finance-officer' };
const ctx: CertificationContext = { today: '2024-07-10', partnerIds: ['visaginas-spc', 'zarasai-spc'] };

type Award = Extract<CertificationCommand, { type: 'AwardCertificate' }>;
const award = (over: Partial<Award> = {}): CertificationCommand => ({
  type: 'AwardCertificate',
  certificateId: 'c-1',
  projectCode: 'IHL-2023',
  partnerId: 'visaginas-spc',
  scheme: 'equass-assurance',
  schemeName: null,
  services: ['care', 'nursing'],
  validFrom: '2022-03-24',
  validTo: '2024-03-23',
  certifyingBody: 'EQUASS (EPR), per VšĮ Valakupių reabilitacijos centrą',
  certificateRef: 'EQUASS-A-2022-117',
  ...over,
});
const { type: _a, ...awardedData } = award() as Award;
const awarded: CertificationEvent = { type: 'CertificateAwarded', data: awardedData };
const renew: CertificationCommand = {
  type: 'RenewCertificate',
  renewedOn: '2024-03-20',
  validTo: '2026-03-23',
  certificateRef: 'EQUASS-A-2024-031',
};
const renewed: CertificationEvent = {
  type: 'CertificateRenewed',
  data: { certificateId: 'c-1', renewedOn: '2024-03-20', validTo: '2026-03-23', certificateRef: 'EQUASS-A-2024-031' },
};
const withdraw: CertificationCommand = {
  type: 'WithdrawCertificate',
  withdrawnOn: '2024-07-01',
  reason: 'Sertifikuojanti įstaiga atšaukė po patikros',
};
const withdrawn: CertificationEvent = {
  type: 'CertificateWithdrawn',
  data: { certificateId: 'c-1', withdrawnOn: '2024-07-01', reason: 'Sertifikuojanti įstaiga atšaukė po patikros' },
};

const { given } = deciderSpec({
  decide: (state, command: CertificationCommand, actor: ActivityActor = auditor) =>
    decideCertification(state, command, actor, ctx),
  evolve: evolveCertificate,
  initialState: null,
});

describe('certification decider', () => {
  it('given none, when the auditor records an award, then CertificateAwarded; the same again changes nothing, other values conflict', () => {
    given([]).when(award()).then([awarded]);
    given([awarded]).when(award()).then([]);
    given([awarded])
      .when(award({ validTo: '2025-03-23' }))
      .thenThrows(conflict('certificate-exists'));
  });

  it('refuses an unknown partner, an unknown scheme or service, other without its name, dates out of order, a named reference', () => {
    given([])
      .when(award({ partnerId: 'nowhere' }))
      .thenThrows(invalid('partnerId', 'registered-partner'));
    given([])
      .when(award({ scheme: 'iso-14001' as 'other' }))
      .thenThrows(invalid('scheme', 'one-of'));
    given([])
      .when(award({ scheme: 'other' }))
      .thenThrows(invalid('schemeName', 'required-for-other'));
    given([])
      .when(award({ schemeName: 'EQUASS' }))
      .thenThrows(invalid('schemeName', 'only-for-other'));
    given([])
      .when(award({ services: ['cooking' as 'care'] }))
      .thenThrows(invalid('services[0]', 'one-of'));
    given([])
      .when(award({ services: ['care', 'care'] }))
      .thenThrows(invalid('services', 'distinct'));
    given([])
      .when(award({ validFrom: '2024-07-11', validTo: '2026-07-10' }))
      .thenThrows(invalid('validFrom', 'not-after-today'));
    given([])
      .when(award({ validTo: '2022-03-23' }))
      .thenThrows(invalid('validTo', 'in-order'));
    given([])
      .when(award({ validTo: '2032-03-25' }))
      .thenThrows(invalid('validTo', 'in-order'));
    given([])
      .when(award({ certificateRef: 'Jonas Jonaitis' }))
      .thenThrows(invalid('certificateRef', 'reference'));
  });

  it('another scheme is recorded with its name', () => {
    const { type: _, ...data } = award({ scheme: 'other', schemeName: 'Socialinių paslaugų kokybės ženklas' }) as Award;
    given([])
      .when(award({ scheme: 'other', schemeName: 'Socialinių paslaugų kokybės ženklas' }))
      .then([{ type: 'CertificateAwarded', data }]);
  });

  it('only the agency auditor records certificates: partners and finance are refused', () => {
    given([]).when(award(), visaginas).thenThrows(forbidden('agency-only'));
    given([awarded]).when(renew, finance).thenThrows(forbidden('agency-only'));
  });

  it('given an award, a renewal extends it to a later day under a new reference; an earlier last day is refused', () => {
    given([awarded]).when(renew).then([renewed]);
    given([awarded])
      .when({ ...renew, validTo: '2024-03-23' })
      .thenThrows(invalid('validTo', 'extends'));
    given([awarded])
      .when({ ...renew, renewedOn: '2024-07-11' })
      .thenThrows(invalid('renewedOn', 'within-validity'));
    given([]).when(renew).thenThrows(DomainNotFoundError);
  });

  it('given an award, a withdrawal with a reason; a withdrawn certificate is neither renewed nor withdrawn again', () => {
    given([awarded, renewed]).when(withdraw).then([withdrawn]);
    given([awarded])
      .when({ ...withdraw, reason: '' })
      .thenThrows(invalid('reason', 'reason'));
    given([awarded, withdrawn]).when(renew).thenThrows(conflict('certificate-withdrawn'));
    given([awarded, withdrawn]).when(withdraw).thenThrows(conflict('certificate-withdrawn'));
  });

  it('its status on a day: valid, expiring within N days (the last day included), expired after it, withdrawn', () => {
    const c = foldCertificate([awarded])!;
    expect(certificateStatus(c, '2024-01-22', 60)).toBe('valid'); // 61 days before 2024-03-23
    expect(certificateStatus(c, '2024-01-23', 60)).toBe('expiring'); // 60 days before
    expect(certificateStatus(c, '2024-03-23', 60)).toBe('expiring');
    expect(certificateStatus(c, '2024-03-24', 60)).toBe('expired');
    expect(certificateStatus(c, '2022-03-23', 60)).toBe('not-yet-valid');
    const renewedCert = foldCertificate([awarded, renewed])!;
    expect(renewedCert).toMatchObject({ validTo: '2026-03-23', certificateRef: 'EQUASS-A-2024-031', renewals: 1 });
    expect(certificateStatus(renewedCert, '2024-03-24', 60)).toBe('valid');
    const gone = foldCertificate([awarded, renewed, withdrawn])!;
    expect(certificateStatus(gone, '2024-06-30', 60)).toBe('valid');
    expect(certificateStatus(gone, '2024-07-01', 60)).toBe('withdrawn');
  });
});
