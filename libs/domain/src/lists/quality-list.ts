// The quality records' list rows, shared by the read model's port and the projection that fills them.

/** An inspection as the list shows it: its findings counted on the list's day (docs/quality.md). */
export interface InspectionListRow {
  readonly inspectionId: string;
  readonly partnerId: string;
  readonly kind: string;
  readonly scope: string;
  readonly startedOn: string;
  readonly endedOn: string;
  readonly findings: number;
  readonly openFindings: number;
  readonly overdueFindings: number;
}

/** `open`: some finding is not resolved; `overdue`: one is past its due day; `closed`: none is open. */
export const INSPECTION_STATUSES = ['all', 'open', 'overdue', 'closed'] as const;
export type InspectionStatusFilter = (typeof INSPECTION_STATUSES)[number];

/** A certificate as lists read it; its status on a day is the caller's to work out (certificateStatus). */
export interface CertificateListRow {
  readonly certificateId: string;
  readonly partnerId: string;
  readonly scheme: string;
  readonly schemeName: string | null;
  readonly services: readonly string[];
  readonly validFrom: string;
  readonly validTo: string;
  readonly certifyingBody: string;
  readonly certificateRef: string;
  readonly renewals: number;
  readonly withdrawnOn: string | null;
}

/** A survey's results as lists and the good-practice table read them (counts, never answers). */
export interface SurveyListRow {
  readonly surveyId: string;
  readonly partnerId: string;
  readonly respondentGroup: string;
  readonly periodFrom: string;
  readonly periodTo: string;
  readonly respondents: number;
  readonly questions: number;
  /** Answers other than no-answer, over every question. */
  readonly answered: number;
  /** Of those, satisfied or very satisfied. */
  readonly satisfied: number;
  /** recorded, corrected or voided. */
  readonly status: string;
}
