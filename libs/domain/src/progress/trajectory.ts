import { addMonths, monthEnd, type IsoDate } from '../shared/iso-date';

export interface CurvePoint {
  /** "2024-03": the month's new and cumulative persons, and where the straight line stands at its end. */
  readonly month: string;
  readonly newPersons: number;
  readonly cumulative: number;
  readonly trajectory: number;
}

export interface Trajectory {
  readonly curve: readonly CurvePoint[];
  /** Persons reached per month over the pace window (the last `paceMonths` complete months). */
  readonly pacePerMonth: number;
  readonly forecastAtDeadline: number;
  /** The month the target was or will be reached at the current pace; null when the pace is zero. */
  readonly targetReachedMonth: string | null;
  readonly onTrack: boolean;
}

const DAY = 86_400_000;
const days = (a: IsoDate, b: IsoDate) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY;

/**
 * The pace over the last complete months (the current month is still filling up) and the value it
 * leads to at the deadline; month arithmetic only, no curve (partners are measured 60 at a time).
 */
export function paceAndForecast(input: {
  start: IsoDate;
  deadline: IsoDate;
  today: IsoDate;
  cumulative: number;
  newByMonth: Readonly<Record<string, number>>;
  paceMonths?: number;
}): { pacePerMonth: number; forecastAtDeadline: number } {
  const { start, deadline, today } = input;
  const lastMonth = (today < deadline ? today : deadline).slice(0, 7);
  // Complete months: from the start's month to the last month of the curve, ended before today.
  let to = monthEnd(lastMonth) < today ? lastMonth : addMonths(lastMonth, -1);
  const from = start.slice(0, 7);
  const window: string[] = [];
  for (; to >= from && window.length < (input.paceMonths ?? 6); to = addMonths(to, -1)) window.push(to);
  const pacePerMonth = window.length ? window.reduce((a, m) => a + (input.newByMonth[m] ?? 0), 0) / window.length : 0;
  const monthsLeft = Math.max(days(today, deadline), 0) / (365.25 / 12);
  return { pacePerMonth, forecastAtDeadline: Math.round(input.cumulative + pacePerMonth * monthsLeft) };
}

/**
 * Cumulative persons reached against the straight line from start (0) to deadline (target), and a
 * forecast at the current pace. Pure: `today` is an input.
 */
export function trajectory(input: {
  start: IsoDate;
  deadline: IsoDate;
  target: number;
  today: IsoDate;
  /** New persons per month, "YYYY-MM" → count. */
  newByMonth: Readonly<Record<string, number>>;
  paceMonths?: number;
}): Trajectory {
  const { start, deadline, target, today } = input;
  const span = days(start, deadline);
  const line = (date: IsoDate) => Math.round((target * Math.min(Math.max(days(start, date), 0), span)) / span);
  const lastMonth = (today < deadline ? today : deadline).slice(0, 7);
  const curve: CurvePoint[] = [];
  let cumulative = 0;
  for (let m = start.slice(0, 7); m <= lastMonth; m = addMonths(m, 1)) {
    const n = input.newByMonth[m] ?? 0;
    cumulative += n;
    curve.push({
      month: m,
      newPersons: n,
      cumulative,
      trajectory: line(monthEnd(m) < deadline ? monthEnd(m) : deadline),
    });
  }
  const { pacePerMonth, forecastAtDeadline } = paceAndForecast({ ...input, cumulative });
  let targetReachedMonth: string | null = curve.find((p) => p.cumulative >= target)?.month ?? null;
  if (!targetReachedMonth && pacePerMonth > 0) {
    // Counted, not walked: at a pace of a few persons a year the walk would take thousands of steps.
    targetReachedMonth = addMonths(lastMonth, Math.ceil((target - cumulative) / pacePerMonth));
  }
  return {
    curve,
    pacePerMonth: Math.round(pacePerMonth * 100) / 100,
    forecastAtDeadline,
    targetReachedMonth,
    onTrack: cumulative >= line(today),
  };
}
