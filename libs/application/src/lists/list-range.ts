import { DomainValidationError, isPeriodId, periodBounds, type RegisteredProject } from '@ihl/domain';
import { figureRange, type AskedDates } from '../shared/figure-range';
import type { DateRange } from '../volumes/volumes-read-model.port';

/**
 * The dates a list covers: a reporting period (`2024-Q2`, `2024-05`) as far as it lies in the
 * project period (a quarter the project starts in is the project's part of it), or `from`/`to` as
 * the figures take them; neither: all.
 */
export function listRange(
  period: string | undefined,
  dates: AskedDates | undefined,
  project: RegisteredProject,
): DateRange | undefined {
  if (period === undefined) return figureRange(dates, project);
  const bounds = periodBounds(period);
  const { start, end } = project.definition.period;
  const range = { from: bounds.start > start ? bounds.start : start, to: bounds.end < end ? bounds.end : end };
  if (range.from > range.to)
    throw new DomainValidationError([
      {
        field: 'period',
        rule: 'within-project-period',
        message: `must overlap the project period, ${start} to ${end}`,
        value: period,
      },
    ]);
  return range;
}

/**
 * The reporting period a `period` filter names, when it is one of the project's own kind: the list
 * then holds what that period's report took, late entries included (docs/finance.md). A period of
 * the other kind (a month of a quarterly project) is only its days.
 */
export function reportedPeriodOf(period: string | undefined, project: RegisteredProject): string | undefined {
  return period !== undefined && isPeriodId(period, project.definition.reportingPeriod) ? period : undefined;
}
