import { addMonth } from '../../chart-series';
import { euros, fromCents, toCents } from './money';
import type { BurnMonth } from './finance-data';

/** The burn chart's series over the months from the project's start to its end (euros, for drawing). */
export interface BurnSeries {
  readonly months: readonly string[];
  /** Declared per month; null after the last month the API gives. */
  readonly monthly: readonly (number | null)[];
  readonly cumulative: readonly (number | null)[];
  /** From the last cumulative figure, in a straight line to the forecast at the end; null before. */
  readonly forecast: readonly (number | null)[];
}

/**
 * The API's burn runs to the current month; the forecast (its pace, as the API computes it) goes on
 * from the last cumulative figure to `forecastAtEnd` in the project's last month. The steps are
 * worked out in cents, so the last point is the API's forecast exactly.
 */
export function burnSeries(burn: readonly BurnMonth[], endDay: string, forecastAtEnd: string): BurnSeries {
  const last = burn[burn.length - 1];
  if (!last) return { months: [], monthly: [], cumulative: [], forecast: [] };
  const months = burn.map((b) => b.month);
  const endMonth = endDay.slice(0, 7);
  while (months[months.length - 1]! < endMonth) months.push(addMonth(months[months.length - 1]!, 1));
  const ahead = BigInt(months.length - burn.length);
  const from = toCents(last.cumulativeDeclared);
  const to = toCents(forecastAtEnd);
  const step = (k: number) => euros(fromCents(ahead === 0n ? from : from + ((to - from) * BigInt(k)) / ahead));
  return {
    months,
    monthly: months.map((_, i) => (burn[i] ? euros(burn[i].declared) : null)),
    cumulative: months.map((_, i) => (burn[i] ? euros(burn[i].cumulativeDeclared) : null)),
    forecast: months.map((_, i) => (i < burn.length - 1 ? null : step(i - burn.length + 1))),
  };
}
