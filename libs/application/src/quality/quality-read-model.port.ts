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
}
