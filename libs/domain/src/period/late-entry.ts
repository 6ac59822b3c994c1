import type { DatingContext } from '../activity/activity-validation';
import type { IsoDate } from '../shared/iso-date';
import { DomainValidationError } from '../shared/validation';
import { periodBounds, periodOf, type PeriodId } from './reporting-period';

/** The period after `id`, of the same kind. */
function nextPeriod(id: PeriodId, ctx: DatingContext): PeriodId {
  const end = periodBounds(id).end;
  const next = new Date(`${end}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return periodOf(next.toISOString().slice(0, 10), ctx.reportingPeriod);
}

/**
 * Where a new record dated `occurredOn` is reported. A lock closes a period's report, not the past:
 * a record dated in a locked period is a late entry, reported in the first period after its own
 * that is not locked (ESF+ declares it in the next claim still open; a period that has ended but is
 * not locked yet has its report still open, so it takes the entry). `{}` when its own period is open.
 * Refused only when every later period of the project is locked too: no report could take it.
 */
export function lateEntryOf(occurredOn: IsoDate, ctx: DatingContext): { readonly reportedIn?: PeriodId } {
  let period = periodOf(occurredOn, ctx.reportingPeriod);
  if (!ctx.lockedPeriods.has(period)) return {};
  const last = periodOf(ctx.projectEnd, ctx.reportingPeriod);
  while (period < last) {
    period = nextPeriod(period, ctx);
    if (!ctx.lockedPeriods.has(period)) return { reportedIn: period };
  }
  throw new DomainValidationError([
    {
      field: 'occurredOn',
      rule: 'period-not-locked',
      message: 'the reporting period of this date and every later one of the project are locked',
      value: occurredOn,
    },
  ]);
}
