import type { Service } from '../activity/activity-kinds';
import type { IsoDate } from '../shared/iso-date';

/** One stream per certificate: its award, renewals and a withdrawal stay in order. */
export const certificateStreamId = (certificateId: string): string => `certificate-${certificateId}`;

/** Quality schemes of seed 000 and the common one besides; any other is `other` with its name. */
export const CERTIFICATION_SCHEMES = ['equass-assurance', 'equass-excellence', 'iso-9001', 'other'] as const;
export type CertificationScheme = (typeof CERTIFICATION_SCHEMES)[number];

/** A quality body certified a partner's services; the body is an organisation, never a person. */
export interface CertificateAwarded {
  readonly type: 'CertificateAwarded';
  readonly data: {
    readonly certificateId: string;
    readonly projectCode: string;
    readonly partnerId: string;
    readonly scheme: CertificationScheme;
    /** The scheme's name when `scheme` is `other`; null otherwise. */
    readonly schemeName: string | null;
    readonly services: readonly Service[];
    readonly validFrom: IsoDate;
    readonly validTo: IsoDate;
    readonly certifyingBody: string;
    readonly certificateRef: string;
  };
}

/** The certificate was renewed: it is valid to a later day, under the renewal's reference. */
export interface CertificateRenewed {
  readonly type: 'CertificateRenewed';
  readonly data: {
    readonly certificateId: string;
    readonly renewedOn: IsoDate;
    readonly validTo: IsoDate;
    readonly certificateRef: string;
  };
}

/** The certifying body withdrew the certificate before its end. */
export interface CertificateWithdrawn {
  readonly type: 'CertificateWithdrawn';
  readonly data: { readonly certificateId: string; readonly withdrawnOn: IsoDate; readonly reason: string };
}

export type CertificationEvent = CertificateAwarded | CertificateRenewed | CertificateWithdrawn;
