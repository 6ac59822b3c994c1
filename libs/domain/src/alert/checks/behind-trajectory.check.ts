import type { AlertCheck } from './alert-check';

/**
 * A partner whose persons reached are below where its straight line stands today. A partner's line
 * runs from its joining day to the first unique-persons target's deadline, up to its allocation
 * share of that target (partnerProgress); a partner without allocation has no line.
 */
export const behindTrajectoryCheck: AlertCheck = {
  name: 'behind-trajectory',
  find: (facts) =>
    facts.partnerProgress
      .filter((p) => p.behind)
      .map((p) => ({
        check: 'behind-trajectory',
        subject: { partnerId: p.partnerId },
        details: { target: p.target, actual: p.actual, expectedToDate: p.expectedToDate, gap: p.gap },
      })),
};
