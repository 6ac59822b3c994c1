/** Months, days and seasons of the simulated years, as ISO strings (UTC, no clock). */
export const pad2 = (n: number): string => String(n).padStart(2, '0');

export interface SimMonth {
  readonly index: number;
  readonly year: number;
  readonly month: number;
  /** YYYY-MM */
  readonly id: string;
  readonly days: number;
  readonly firstDay: string;
  readonly lastDay: string;
}

export function monthAt(startYear: number, startMonth: number, index: number): SimMonth {
  const zero = startMonth - 1 + index;
  const year = startYear + Math.floor(zero / 12);
  const month = (zero % 12) + 1;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const id = `${year}-${pad2(month)}`;
  return { index, year, month, id, days, firstDay: `${id}-01`, lastDay: `${id}-${pad2(days)}` };
}

/** The months from the first day's month to the last day's month, inclusive. */
export function monthsBetween(first: string, last: string): SimMonth[] {
  const y = Number(first.slice(0, 4));
  const m = Number(first.slice(5, 7));
  const months: SimMonth[] = [];
  for (let i = 0; ; i++) {
    const month = monthAt(y, m, i);
    if (month.firstDay > last) return months;
    months.push(month);
  }
}

export const quarterOf = (m: SimMonth): string => `${m.year}-Q${Math.ceil(m.month / 3)}`;
export const isQuarterEnd = (m: SimMonth): boolean => m.month % 3 === 0;

/** The day `days` after an ISO date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * How busy a month is relative to an ordinary one: summer holidays (workers and families away) and
 * the Christmas weeks see fewer visits and fewer first contacts.
 */
export function seasonOf(month: number): number {
  const factors = [0.92, 1, 1.05, 1.05, 1, 0.9, 0.72, 0.68, 1.02, 1.08, 1.05, 0.78];
  return factors[month - 1] ?? 1;
}

/** Whole years between a birth date and a day. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
