import type { CertificateListRow, InspectionListRow, InspectionStatusFilter, SurveyListRow } from '@ihl/domain';

/** Where a page of inspections ended: its last row's first day and id. */
export interface InspectionCursor {
  readonly startedOn: string;
  readonly inspectionId: string;
}

/** The quality records' read model (inspections, certificates, surveys), live or as of a point. */
export interface QualityReadModel {
  /** A page of the project's inspections, by first day then id, after `after`. */
  inspectionsPage(request: {
    readonly projectCode: string;
    readonly partnerId?: string | undefined;
    readonly status: InspectionStatusFilter;
    readonly today: string;
    readonly after: InspectionCursor | null;
    readonly limit: number;
  }): InspectionListRow[];
  /** The project's certificates (one partner's, if given), by partner, first valid day and id. */
  certificatesOf(projectCode: string, partnerId?: string): CertificateListRow[];
  /** The project's survey results (one partner's, if given), voided ones too, by partner, period and id. */
  surveysOf(projectCode: string, partnerId?: string): SurveyListRow[];
  /** Per partner: findings not resolved, and of those the ones due before `today`. */
  findingCounts(projectCode: string, today: string): Map<string, { open: number; overdue: number }>;
}
