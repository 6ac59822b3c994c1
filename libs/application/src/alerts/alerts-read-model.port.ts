import type { AlertListRow, AlertsPageRequest } from '@ihl/domain';

export { ALERT_STATUSES, type AlertStatusFilter } from '@ihl/domain';
/** An alert as the list answers it. */
export type AlertView = AlertListRow;

/** The alerts read model, and the facts the scheduled checks read that no figure keeps. */
export interface AlertsReadModel {
  /** One page of a project's alerts in raise order; `partnerId`: those whose subject names it. */
  alertsPage(projectCode: string, request: AlertsPageRequest): { total: number; alerts: AlertView[] };
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
