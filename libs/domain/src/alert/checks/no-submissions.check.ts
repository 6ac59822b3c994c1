import { daysBetween, type AlertCheck } from './alert-check';

/**
 * A partner that recorded nothing for more than `silentPartnerDays`, counted from its latest record,
 * else from when it joined (or the project started). Only while the project runs: after its end no
 * submissions are due.
 */
export const noSubmissionsCheck: AlertCheck = {
  name: 'no-submissions',
  find: ({ today, thresholds, project, lastSubmittedOn }) => {
    if (today < project.period.start || today > project.period.end) return [];
    return project.partners
      .map((p) => {
        const last = lastSubmittedOn.get(p.partnerId) ?? null;
        const since = [last ?? '', p.joinedOn, project.period.start].reduce((a, b) => (a > b ? a : b));
        return { p, last, silent: daysBetween(since, today) };
      })
      .filter(({ silent }) => silent > thresholds.silentPartnerDays)
      .map(({ p, last }) => ({
        check: 'no-submissions',
        subject: { partnerId: p.partnerId },
        details: { lastSubmittedOn: last, joinedOn: p.joinedOn },
      }));
  },
};
