import type { IsoDate } from '../shared/iso-date';
import type { CertificateAwarded, CertificationEvent } from './certification.events';

export type Certificate = CertificateAwarded['data'] & {
  readonly renewals: number;
  readonly withdrawnOn: IsoDate | null;
  readonly withdrawalReason: string | null;
};

export type CertificateState = Certificate | null;

export function evolveCertificate(state: CertificateState, e: CertificationEvent): CertificateState {
  if (e.type === 'CertificateAwarded') return { ...e.data, renewals: 0, withdrawnOn: null, withdrawalReason: null };
  if (!state) return state;
  if (e.type === 'CertificateRenewed')
    return { ...state, validTo: e.data.validTo, certificateRef: e.data.certificateRef, renewals: state.renewals + 1 };
  return { ...state, withdrawnOn: e.data.withdrawnOn, withdrawalReason: e.data.reason };
}

export const foldCertificate = (events: readonly CertificationEvent[]): CertificateState =>
  events.reduce(evolveCertificate, null as CertificateState);

const DAY = 86_400_000;
const daysTo = (from: IsoDate, to: IsoDate): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

export const CERTIFICATE_STATUSES = ['valid', 'expiring', 'expired', 'withdrawn', 'not-yet-valid'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/**
 * A certificate's standing on a day: withdrawn from its withdrawal day, expired after its last
 * valid day, expiring within `expiryDays` of it (the last day included), else valid.
 */
export function certificateStatus(
  c: Pick<Certificate, 'validFrom' | 'validTo' | 'withdrawnOn'>,
  today: IsoDate,
  expiryDays: number,
): CertificateStatus {
  if (c.withdrawnOn !== null && c.withdrawnOn <= today) return 'withdrawn';
  if (today < c.validFrom) return 'not-yet-valid';
  if (today > c.validTo) return 'expired';
  return daysTo(today, c.validTo) <= expiryDays ? 'expiring' : 'valid';
}
