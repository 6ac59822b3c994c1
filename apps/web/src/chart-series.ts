/** The overview chart's three lines over the months from the project's start to the deadline. */
export interface ChartSeries {
  readonly months: readonly string[];
  /** Persons reached so far, per month; null after the current month. */
  readonly cumulative: readonly (number | null)[];
  /** The straight line to the target at the deadline. */
  readonly trajectory: readonly number[];
  /** From the current month's figure to the forecast at the deadline; null before the current month. */
  readonly forecast: readonly (number | null)[];
}

export function addMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y! * 12 + (m! - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * The curve from GET /progress runs to the current month; the trajectory goes on in a straight line
 * to the target, and the forecast (the recent pace, as the API computes it) from the last actual
 * figure to the forecast at the deadline.
 */
export function chartSeries(
  curve: readonly { month: string; cumulative: number; trajectory: number }[],
  deadline: string,
  target: number,
  forecastAtDeadline: number,
): ChartSeries {
  const last = curve[curve.length - 1];
  if (!last) return { months: [], cumulative: [], trajectory: [], forecast: [] };
  const deadlineMonth = deadline.slice(0, 7);
  const months = curve.map((p) => p.month);
  while (months[months.length - 1]! < deadlineMonth) months.push(addMonth(months[months.length - 1]!, 1));
  const ahead = months.length - curve.length;
  const step = (from: number, to: number, k: number) => Math.round(from + ((to - from) * k) / ahead);
  return {
    months,
    cumulative: months.map((_, i) => curve[i]?.cumulative ?? null),
    trajectory: months.map((_, i) => curve[i]?.trajectory ?? step(last.trajectory, target, i - curve.length + 1)),
    forecast: months.map((_, i) =>
      i < curve.length - 1
        ? null
        : i === curve.length - 1
          ? last.cumulative
          : step(last.cumulative, forecastAtDeadline, i - curve.length + 1),
    ),
  };
}
