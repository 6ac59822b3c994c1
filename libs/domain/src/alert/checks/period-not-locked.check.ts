import { periodBounds, periodOf, type PeriodId } from '../../period/reporting-period';
import { addMonths } from '../../shared/iso-date';
import { daysBetween, type AlertCheck } from './alert-check';

/**
 * A reporting period of the project (monthly or quarterly, as the definition says) that ended more
 * than `periodLockDays` ago and is not locked.
 */
export const periodNotLockedCheck: AlertCheck = {
  name: 'period-not-locked',
  find: ({ today, thresholds, project }) => {
    const periods = new Set<PeriodId>();
    const last = (today < project.period.end ? today : project.period.end).slice(0, 7);
    for (let m = project.period.start.slice(0, 7); m <= last; m = addMonths(m, 1))
      periods.add(periodOf(`${m}-01`, project.reportingPeriod));
    return [...periods]
      .filter((id) => !project.lockedPeriods.has(id))
      .map((id) => ({ id, end: periodBounds(id).end }))
      .filter((p) => daysBetween(p.end, today) > thresholds.periodLockDays)
      .map((p) => ({ check: 'period-not-locked', subject: { periodId: p.id }, details: { periodEnd: p.end } }));
  },
};
