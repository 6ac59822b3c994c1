import type { AlertDetails, AlertSubject } from '@ihl/domain';

/** An alert as the list answers it. */
export interface AlertView {
  readonly alertId: string;
  readonly check: string;
  readonly cause: string;
  readonly subject: AlertSubject;
  readonly details: AlertDetails;
  readonly status: 'open' | 'resolved';
  readonly raisedAt: string;
  readonly raisedPosition: number;
  readonly resolvedAt: string | null;
  readonly resolvedPosition: number | null;
  readonly resolvedWhy: string | null;
}

export const ALERT_STATUSES = ['open', 'resolved', 'all'] as const;
export type AlertStatusFilter = (typeof ALERT_STATUSES)[number];

/** The alerts read model, and the facts the scheduled checks read that no figure keeps. */
export interface AlertsReadModel {
  /** One page of a project's alerts in raise order; `partnerId`: those whose subject names it. */
  alertsPage(
    projectCode: string,
    request: {
      readonly status: AlertStatusFilter;
      readonly partnerId?: string | undefined;
      readonly page: number;
      readonly pageSize: number;
    },
  ): { total: number; alerts: AlertView[] };
  /** Records neither verified, rejected nor voided, with the instant the server recorded them. */
  pendingRecords(projectCode: string): { recordId: string; partnerId: string; kind: string; recordedAt: string }[];
  /** Inspection findings not yet resolved, with their inspection's partner and due day. */
  openFindings(projectCode: string): {
    inspectionId: string;
    findingId: string;
    partnerId: string;
    severity: string;
    dueOn: string;
  }[];
  /** The instant each partner last submitted a record. */
  lastSubmissions(projectCode: string): Map<string, string>;
  /** Every registered project's code. */
  checkedProjects(): string[];
}
