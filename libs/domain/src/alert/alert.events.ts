/** One stream per project holds its alerts: raised and resolved, never edited. */
export const alertsStreamId = (projectCode: string): string => `alerts-${projectCode}`;

/** What an alert is about; a partner sees the alerts whose subject names it. */
export interface AlertSubject {
  readonly partnerId?: string;
  readonly categoryId?: string;
  readonly recordId?: string;
  readonly periodId?: string;
}

/** Facts of a finding as they stood when it was raised (amounts as decimal strings, dates ISO). */
export type AlertDetails = Readonly<Record<string, string | number | null>>;

export interface AlertRaised {
  readonly type: 'AlertRaised';
  readonly data: {
    /** `<cause>#<n>`: the n-th time this cause was raised in the project. */
    readonly alertId: string;
    readonly check: string;
    /** Deterministic from the check and its subject (see causeKey). */
    readonly cause: string;
    readonly subject: AlertSubject;
    readonly details: AlertDetails;
  };
}

export interface AlertResolved {
  readonly type: 'AlertResolved';
  readonly data: { readonly alertId: string; readonly cause: string; readonly why: string };
}

export type AlertEvent = AlertRaised | AlertResolved;
