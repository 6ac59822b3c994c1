import { addMonths, monthsBetween, type IsoDate } from '../shared/iso-date';
import type { Cents, CentsSum } from '../shared/money';

export interface MonthSpend {
  readonly declaredCents: CentsSum;
  readonly eligibleCents: CentsSum;
}

export interface BurnPoint {
  /** "2024-03": expenditure declared (and found eligible so far) with a business date in that month. */
  readonly month: string;
  readonly declaredCents: CentsSum;
  readonly eligibleCents: CentsSum;
  readonly cumulativeDeclaredCents: CentsSum;
}

export interface SpendForecast {
  readonly burn: readonly BurnPoint[];
  /** Mean declared per month over the last complete months (the current one is still filling up). */
  readonly monthlyPaceCents: CentsSum;
  readonly paceMonths: number;
  /** Declared so far, the rest of the current month at the pace, and the pace over the months left. */
  readonly forecastAtEndCents: CentsSum;
  /** Envelope minus the forecast: positive means money left unspent, negative an overrun. */
  readonly forecastUnspentCents: CentsSum;
  /** The month the declared total would pass the envelope at this pace; null if it does not before the end. */
  readonly envelopeExhaustedMonth: string | null;
}

/**
 * Monthly burn from the project start to today, and a straight-line forecast to the project end at
 * the pace of the last complete months. Pure; whole cents throughout, as BigInt (sums of many large
 * amounts pass 2^53), the pace rounded once.
 */
export function spendForecast(input: {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly today: IsoDate;
  readonly envelopeCents: Cents;
  readonly byMonth: Readonly<Record<string, MonthSpend>>;
  readonly paceMonths?: number;
}): SpendForecast {
  const lastMonth = (input.today < input.end ? input.today : input.end).slice(0, 7);
  const envelope = BigInt(input.envelopeCents);
  const burn: BurnPoint[] = [];
  let cumulative = 0n;
  for (let m = input.start.slice(0, 7); m <= lastMonth; m = addMonths(m, 1)) {
    const s = input.byMonth[m] ?? { declaredCents: 0n, eligibleCents: 0n };
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
    .reduce((a, [, s]) => a + s.declaredCents, 0n);
  const declared = cumulative + later;
  const todayMonth = input.today.slice(0, 7);
  const complete = burn.filter((p) => p.month < todayMonth);
  const window = complete.slice(-(input.paceMonths ?? 6));
  const pace = window.length
    ? roundedDivision(
        window.reduce((a, p) => a + p.declaredCents, 0n),
        BigInt(window.length),
      )
    : 0n;
  // The current month is still filling up: at the pace it gets what it lacks of one month's pace,
  // then every later month up to and including the end month gets the pace.
  const endMonth = input.end.slice(0, 7);
  const current = todayMonth <= endMonth ? (input.byMonth[todayMonth]?.declaredCents ?? 0n) : 0n;
  const restOfMonth = todayMonth <= endMonth && pace > current ? pace - current : 0n;
  const monthsLeft = BigInt(Math.max(monthsBetween(todayMonth, endMonth), 0));
  const forecastAtEndCents = declared + restOfMonth + pace * monthsLeft;
  let envelopeExhaustedMonth: string | null = null;
  if (declared > envelope) {
    envelopeExhaustedMonth = burn.find((p) => p.cumulativeDeclaredCents > envelope)?.month ?? todayMonth;
  } else if (forecastAtEndCents > envelope) {
    // The first month whose running total passes the envelope (pace > 0 here, or the forecast would
    // not); at most the months left, so a number again.
    const reached = declared + restOfMonth;
    const months = reached > envelope ? 0 : Number((envelope - reached) / pace) + 1;
    envelopeExhaustedMonth = addMonths(todayMonth, months);
  }
  return {
    burn,
    monthlyPaceCents: pace,
    paceMonths: window.length,
    forecastAtEndCents,
    forecastUnspentCents: envelope - forecastAtEndCents,
    envelopeExhaustedMonth,
  };
}

/** a / b rounded half up, like Math.round (BigInt division truncates toward zero). */
function roundedDivision(a: bigint, b: bigint): bigint {
  const twice = 2n * a + b;
  const q = twice / (2n * b);
  return twice % (2n * b) < 0n ? q - 1n : q;
}
