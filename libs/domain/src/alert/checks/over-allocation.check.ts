import { formatMoney } from '../../shared/money';
import type { AlertCheck } from './alert-check';

/** A budget line (partner × category) whose declared or eligible amount is over its allocation. */
export const overAllocationCheck: AlertCheck = {
  name: 'over-allocation',
  find: (facts) =>
    facts.budgetLines
      .filter((l) => l.declaredCents > l.allocatedCents || l.eligibleCents > l.allocatedCents)
      .map((l) => ({
        check: 'over-allocation',
        subject: { partnerId: l.partnerId, categoryId: l.categoryId },
        details: {
          allocated: formatMoney(l.allocatedCents),
          declared: formatMoney(l.declaredCents),
          eligible: formatMoney(l.eligibleCents),
        },
      })),
};
