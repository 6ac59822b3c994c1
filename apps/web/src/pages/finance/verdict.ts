import { fromCents, parseTypedMoney, toCents } from './money';
import type { Verdict } from './queue-data';

export type VerdictChoice = 'full' | 'part' | 'none';

/** What the form holds: the choice, the eligible part as typed, the reason and an optional note. */
export interface VerdictForm {
  readonly choice: VerdictChoice;
  readonly eligibleTyped: string;
  readonly reason: string;
}

/**
 * The verdict to send for a declared amount, or which field is wrong: eligible and ineligible always
 * add up to the amount (the API's rule), in cents; a reason is required whenever a part is ineligible.
 */
export function verdictOf(amount: string, form: VerdictForm): { verdict: Verdict } | { error: 'amount' | 'reason' } {
  const declared = toCents(amount);
  let eligible = declared;
  if (form.choice === 'none') eligible = 0n;
  if (form.choice === 'part') {
    const typed = parseTypedMoney(form.eligibleTyped);
    if (typed === null || toCents(typed) > declared) return { error: 'amount' };
    eligible = toCents(typed);
  }
  const ineligible = declared - eligible;
  const reason = form.reason.trim();
  if (ineligible > 0n && reason === '') return { error: 'reason' };
  return {
    verdict: {
      eligible: fromCents(eligible),
      ineligible: fromCents(ineligible),
      ...(reason ? { note: reason } : {}),
    },
  };
}
