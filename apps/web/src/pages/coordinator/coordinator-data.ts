import { api } from '../../api';

export interface CoordinatorWorker {
  readonly workerRef: string | null;
  readonly teamRef: string | null;
  readonly role: string | null;
  readonly services: number;
  readonly hours: number;
  readonly persons: number;
  readonly timedServices: number;
  readonly timeRanges: readonly { readonly from: string; readonly to: string; readonly services: number }[];
}

/** GET /coordinator-reports as the page reads it. */
export interface CoordinatorReportAnswer {
  readonly partnerId: string;
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly workers: readonly CoordinatorWorker[];
  readonly totals: { readonly services: number; readonly hours: number; readonly persons: number };
  readonly serviceEndings: readonly { readonly reason: string; readonly count: number }[];
  readonly positions: {
    readonly vacated: number;
    readonly filled: number;
    readonly openAtEnd: number;
    readonly entries: readonly {
      readonly positionRef: string;
      readonly teamRef: string;
      readonly role: string;
      readonly vacatedOn: string;
      readonly filledOn: string | null;
      readonly workerRef: string | null;
    }[];
  };
  readonly newPersons: number;
  readonly position: number;
}

export interface CoordinatorProject {
  readonly period: { readonly start: string; readonly end: string };
  readonly partners: readonly { readonly id: string; readonly name: string }[];
}

const base = (code: string) => `/api/v1/projects/${encodeURIComponent(code)}`;
const reportPath = (code: string, partnerId: string, period: string, file: Record<string, string> = {}) =>
  `${base(code)}/coordinator-reports?${new URLSearchParams({ period, ...(partnerId ? { partnerId } : {}), ...file })}`;

export const loadProject = (code: string): Promise<CoordinatorProject> => api.get<CoordinatorProject>(base(code));

/** The report of a partner (empty: the token's own) and a quarter. */
export const loadReport = (code: string, partnerId: string, period: string): Promise<CoordinatorReportAnswer> =>
  api.get<CoordinatorReportAnswer>(reportPath(code, partnerId, period));

/** The same report as a file: the API's own export, downloaded by a plain link with the session cookie. */
export function reportFileUrl(code: string, partnerId: string, period: string, format: 'csv' | 'excel' | 'xlsx') {
  const file: Record<string, string> = format === 'excel' ? { format: 'csv', dialect: 'excel' } : { format };
  return reportPath(code, partnerId, period, file);
}

/** The quarter a day falls in, kept inside the project's quarters. */
export function defaultQuarter(quarters: readonly string[], today: string): string {
  const current = `${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
  const begun = quarters.filter((q) => q <= current);
  return begun[begun.length - 1] ?? quarters[0] ?? current;
}

/** Hours to the hundredth (a quarter of an hour shows), in the locale's way. */
export function hoursText(locale: 'lt' | 'en', hours: number): string {
  return new Intl.NumberFormat(locale === 'lt' ? 'lt-LT' : 'en-GB', { maximumFractionDigits: 2 }).format(hours);
}
