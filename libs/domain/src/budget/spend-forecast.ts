import { addMonths, monthsBetween, type IsoDate } from '../shared/iso-date';

export interface MonthSpend {
  readonly declaredCents: number;
  readonly eligibleCents: number;
}

export interface BurnPoint {
  /** "2024-03": expenditure declared (and found eligible so far) with a business date in that month. */
  readonly month: string;
  readonly declaredCents: number;
  readonly eligibleCents: number;
  readonly cumulativeDeclaredCents: number;
}

export interface SpendForecast {
  readonly burn: readonly BurnPoint[];
  /** Mean declared per month over the last complete months (the current one is still filling up). */
  readonly monthlyPaceCents: number;
  readonly paceMonths: number;
  /** Declared so far, the rest of the current month at the pace, and the pace over the months left. */
  readonly forecastAtEndCents: number;
  /** Envelope minus the forecast: positive means money left unspent, negative an overrun. */
  readonly forecastUnspentCents: number;
  /** The month the declared total would pass the envelope at this pace; null if it does not before the end. */
  readonly envelopeExhaustedMonth: string | null;
}

/**
 * Monthly burn from the project start to today, and a straight-line forecast to the project end at
 * the pace of the last complete months. Pure; whole cents throughout (the pace is rounded once).
 */
export function spendForecast(input: {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly today: IsoDate;
  readonly envelopeCents: number;
  readonly byMonth: Readonly<Record<string, MonthSpend>>;
  readonly paceMonths?: number;
}): SpendForecast {
  const lastMonth = (input.today < input.end ? input.today : input.end).slice(0, 7);
  const burn: BurnPoint[] = [];
  let cumulative = 0;
  for (let m = input.start.slice(0, 7); m <= lastMonth; m = addMonths(m, 1)) {
    const s = input.byMonth[m] ?? { declaredCents: 0, eligibleCents: 0 };
    cumulative += s.declaredCents;
    burn.push({
      month: m,
      declaredCents: s.declaredCents,
      eligibleCents: s.eligibleCents,
      cumulativeDeclaredCents: cumulative,
    });
  }
  // Spending dated after today (advance invoices) counts in the total but not in the curve.
  const later = Object.entries(input.byMonth)
    .filter(([m]) => m > lastMonth)
    .reduce((a, [, s]) => a + s.declaredCents, 0);
  const declared = cumulative + later;
  const todayMonth = input.today.slice(0, 7);
  const complete = burn.filter((p) => p.month < todayMonth);
  const window = complete.slice(-(input.paceMonths ?? 6));
  const pace = window.length ? Math.round(window.reduce((a, p) => a + p.declaredCents, 0) / window.length) : 0;
  // The current month is still filling up: at the pace it gets what it lacks of one month's pace,
  // then every later month up to and including the end month gets the pace.
  const endMonth = input.end.slice(0, 7);
  const current = todayMonth <= endMonth ? (input.byMonth[todayMonth]?.declaredCents ?? 0) : 0;
  const restOfMonth = todayMonth <= endMonth ? Math.max(pace - current, 0) : 0;
  const monthsLeft = Math.max(monthsBetween(todayMonth, endMonth), 0);
  const forecastAtEndCents = declared + restOfMonth + pace * monthsLeft;
  let envelopeExhaustedMonth: string | null = null;
  if (declared > input.envelopeCents) {
    envelopeExhaustedMonth = burn.find((p) => p.cumulativeDeclaredCents > input.envelopeCents)?.month ?? todayMonth;
  } else if (forecastAtEndCents > input.envelopeCents) {
    // The first month whose running total passes the envelope (pace > 0 here, or the forecast would not).
    const reached = declared + restOfMonth;
    const months = reached > input.envelopeCents ? 0 : Math.floor((input.envelopeCents - reached) / pace) + 1;
    envelopeExhaustedMonth = addMonths(todayMonth, months);
  }
  return {
    burn,
    monthlyPaceCents: pace,
    paceMonths: window.length,
    forecastAtEndCents,
    forecastUnspentCents: input.envelopeCents - forecastAtEndCents,
    envelopeExhaustedMonth,
  };
}
