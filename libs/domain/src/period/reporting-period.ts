import type { ReportingPeriodKind } from '../project/project-definition';
import type { IsoDate } from '../shared/iso-date';

/** "2023-01" for monthly reporting, "2023-Q1" for quarterly. */
export type PeriodId = string;

export function periodOf(date: IsoDate, kind: ReportingPeriodKind): PeriodId {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  return kind === 'monthly' ? date.slice(0, 7) : `${year}-Q${Math.ceil(month / 3)}`;
}

export function isPeriodId(value: unknown, kind: ReportingPeriodKind): value is PeriodId {
  if (typeof value !== 'string') return false;
  return kind === 'monthly' ? /^\d{4}-(0[1-9]|1[0-2])$/.test(value) : /^\d{4}-Q[1-4]$/.test(value);
}

/** First and last calendar day of a period. */
export function periodBounds(id: PeriodId): { start: IsoDate; end: IsoDate } {
  const year = Number(id.slice(0, 4));
  const [firstMonth, lastMonth] = id.includes('Q')
    ? [(Number(id.slice(6)) - 1) * 3 + 1, Number(id.slice(6)) * 3]
    : [Number(id.slice(5, 7)), Number(id.slice(5, 7))];
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { start: `${year}-${pad(firstMonth)}-01`, end: `${year}-${pad(lastMonth)}-${pad(lastDay)}` };
}
