import type { IsoDate } from '../shared/iso-date';

/** One stream per inspection: its findings, the partner's responses and their outcome stay in order. */
export const inspectionStreamId = (inspectionId: string): string => `inspection-${inspectionId}`;

export const INSPECTION_KINDS = ['planned', 'unplanned'] as const;
export type InspectionKind = (typeof INSPECTION_KINDS)[number];

export const FINDING_SEVERITIES = ['minor', 'major', 'critical'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/**
 * Standards an inspection commonly checks (the EQUASS principles of seed 000 and the agency's own
 * service rules); any other standard is given as a reference such as "ref:HN-2023-14".
 */
export const KNOWN_STANDARDS = [
  'equass-leadership',
  'equass-staff',
  'equass-rights',
  'equass-ethics',
  'equass-partnership',
  'equass-participation',
  'equass-person-centred',
  'equass-comprehensiveness',
  'equass-results',
  'equass-continuous-improvement',
  'service-description',
  'staff-qualification',
  'records-and-privacy',
] as const;

/** The agency (or a quality body) inspected a partner's service; inspectors are references, never names. */
export interface InspectionRecorded {
  readonly type: 'InspectionRecorded';
  readonly data: {
    readonly inspectionId: string;
    readonly projectCode: string;
    readonly partnerId: string;
    readonly kind: InspectionKind;
    readonly scope: string;
    readonly standards: readonly string[];
    readonly startedOn: IsoDate;
    readonly endedOn: IsoDate;
    readonly inspectorRefs: readonly string[];
  };
}

export interface FindingRecorded {
  readonly type: 'FindingRecorded';
  readonly data: {
    readonly inspectionId: string;
    readonly findingId: string;
    readonly standard: string;
    readonly severity: FindingSeverity;
    readonly description: string;
    readonly dueOn: IsoDate;
  };
}

/** The inspected partner's answer to a finding, with references to the evidence it attached. */
export interface FindingResponded {
  readonly type: 'FindingResponded';
  readonly data: {
    readonly inspectionId: string;
    readonly findingId: string;
    readonly response: string;
    readonly evidenceRefs: readonly string[];
    readonly respondedOn: IsoDate;
  };
}

export interface FindingResolved {
  readonly type: 'FindingResolved';
  readonly data: { readonly inspectionId: string; readonly findingId: string; readonly resolvedOn: IsoDate };
}

/** The agency took an unresolved finding further (to management or the managing authority). */
export interface FindingEscalated {
  readonly type: 'FindingEscalated';
  readonly data: {
    readonly inspectionId: string;
    readonly findingId: string;
    readonly escalatedOn: IsoDate;
    readonly reason: string;
  };
}

export type InspectionEvent =
  InspectionRecorded | FindingRecorded | FindingResponded | FindingResolved | FindingEscalated;
