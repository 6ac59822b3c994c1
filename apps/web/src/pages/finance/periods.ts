import { addMonth } from '../../chart-series';

/** The reporting periods of a project the register can show: its quarters and its months. */
export function projectPeriods(start: string, end: string): { quarters: string[]; months: string[] } {
  const months: string[] = [];
  for (let m = start.slice(0, 7); m <= end.slice(0, 7); m = addMonth(m, 1)) months.push(m);
  const quarters = [...new Set(months.map((m) => `${m.slice(0, 4)}-Q${Math.ceil(Number(m.slice(5, 7)) / 3)}`))];
  return { quarters, months };
}
