import {
  largestRemainder,
  periodBounds,
  periodOf,
  type IsoDate,
  type PeriodId,
  type ReportingPeriodKind,
} from '@ihl/domain';

/** Calendar arithmetic on ISO days for the exports (UTC day numbers: no time zone can shift a day). */
function dayNumber(date: IsoDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}

function addDays(date: IsoDate, days: number): IsoDate {
  return new Date((dayNumber(date) + days) * 86_400_000).toISOString().slice(0, 10);
}

const max = (a: IsoDate, b: IsoDate) => (a > b ? a : b);
const min = (a: IsoDate, b: IsoDate) => (a < b ? a : b);

export interface ReportingPeriod {
  readonly id: PeriodId;
  /** The period's bounds clipped to the project period (the first quarter starts on the project's first day). */
  readonly start: IsoDate;
  readonly end: IsoDate;
}

/** The reporting periods that overlap `from..to`, in order, each clipped to `clip` (the project period). */
export function reportingPeriods(
  from: IsoDate,
  to: IsoDate,
  kind: ReportingPeriodKind,
  clip: { readonly start: IsoDate; readonly end: IsoDate },
): ReportingPeriod[] {
  const out: ReportingPeriod[] = [];
  if (to < from) return out;
  for (let id = periodOf(from, kind); ;) {
    const b = periodBounds(id);
    out.push({ id, start: max(b.start, clip.start), end: min(b.end, clip.end) });
    if (b.end >= to) return out;
    id = periodOf(addDays(b.end, 1), kind);
  }
}

/** Persons whose first service fell in a month up to and including the month of `date`. */
export function cumulativeTo(newByMonth: Readonly<Record<string, number>>, date: IsoDate): number {
  const month = date.slice(0, 7);
  let sum = 0;
  for (const [m, n] of Object.entries(newByMonth)) if (m <= month) sum += n;
  return sum;
}

/** Persons whose first service fell in the months of `start..end` (whole months: periods are whole months). */
export function newBetween(newByMonth: Readonly<Record<string, number>>, start: IsoDate, end: IsoDate): number {
  const [from, to] = [start.slice(0, 7), end.slice(0, 7)];
  let sum = 0;
  for (const [m, n] of Object.entries(newByMonth)) if (m >= from && m <= to) sum += n;
  return sum;
}

/**
 * Splits an amount over the calendar years of `start..end` in proportion to their days, so that
 * the parts sum exactly to the whole (largest remainder, exact in BigInt; ties to the earlier year).
 */
export function splitByYear(
  start: IsoDate,
  end: IsoDate,
  cents: number,
): { readonly start: IsoDate; readonly end: IsoDate; readonly cents: number }[] {
  const years: { start: IsoDate; end: IsoDate; days: number }[] = [];
  for (let y = Number(start.slice(0, 4)); y <= Number(end.slice(0, 4)); y++) {
    const s = max(start, `${y}-01-01`);
    const e = min(end, `${y}-12-31`);
    years.push({ start: s, end: e, days: dayNumber(e) - dayNumber(s) + 1 });
  }
  const parts = largestRemainder(
    cents,
    years.map((y) => y.days),
  );
  return years.map((y, i) => ({ start: y.start, end: y.end, cents: parts[i]! }));
}
