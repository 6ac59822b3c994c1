/** A calendar date "YYYY-MM-DD" (business dates are Europe/Vilnius calendar days). */
export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const m = ISO.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** ISO dates compare correctly as strings. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isWithin(date: IsoDate, start: IsoDate, end: IsoDate): boolean {
  return date >= start && date <= end;
}

// Month arithmetic runs a few thousand times per progress answer (a curve per partner): plain
// integer work on the text, no split arrays, no Date objects.
const year = (month: string) => Number(month.slice(0, 4));
const monthNo = (month: string) => Number(month.slice(5, 7));

/** "YYYY-MM" moved by `n` months (negative: back). */
export function addMonths(month: string, n: number): string {
  const index = year(month) * 12 + (monthNo(month) - 1) + n;
  const m = (index % 12) + 1;
  return `${Math.floor(index / 12)}-${m < 10 ? '0' : ''}${m}`;
}

/** Whole months from one "YYYY-MM" to another (negative if `to` is earlier). */
export function monthsBetween(from: string, to: string): number {
  return (year(to) - year(from)) * 12 + (monthNo(to) - monthNo(from));
}

/** The last day of a "YYYY-MM". */
export function monthEnd(month: string): IsoDate {
  return `${month.slice(0, 7)}-${daysInMonth(year(month), monthNo(month))}`;
}
