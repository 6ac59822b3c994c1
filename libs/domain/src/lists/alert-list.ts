// The alerts list's row and filter, shared by the read model's port and the projection that fills them.
import type { AlertDetails, AlertSubject } from '../alert/alert.events';

/** An alert as the list answers it. */
export interface AlertListRow {
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

/** One page of a project's alerts; `partnerId`: only those whose subject names it (a partner's own). */
export interface AlertsPageRequest {
  readonly status: AlertStatusFilter;
  readonly partnerId?: string | undefined;
  readonly page: number;
  readonly pageSize: number;
}
