import { fromCents, parseTypedMoney, toCents } from './money';
import type { Verdict } from './queue-data';

export type VerdictChoice = 'full' | 'part' | 'none';

/** What the form holds: the choice, the eligible part as typed, the reason's code and a note. */
export interface VerdictForm {
  readonly choice: VerdictChoice;
  readonly eligibleTyped: string;
  /** A code of INELIGIBILITY_REASONS, '' while none is chosen. */
  readonly reason: string;
  readonly note: string;
}

export type VerdictError = 'amount' | 'reason' | 'note';

/**
 * The verdict to send for a declared amount, or which field is wrong: eligible and ineligible always
 * add up to the amount (the API's rule), in cents; a reason code is required whenever a part is
 * ineligible (the API takes none, but a cut without its cause cannot be summed in a claim), and
 * the code `other` needs a note saying what (the API's rule).
 */
export function verdictOf(amount: string, form: VerdictForm): { verdict: Verdict } | { error: VerdictError } {
  const declared = toCents(amount);
  let eligible = declared;
  if (form.choice === 'none') eligible = 0n;
  if (form.choice === 'part') {
    const typed = parseTypedMoney(form.eligibleTyped);
    if (typed === null || toCents(typed) > declared) return { error: 'amount' };
    eligible = toCents(typed);
  }
  const ineligible = declared - eligible;
  const note = form.note.trim();
  const reason = ineligible > 0n ? form.reason : '';
  if (ineligible > 0n && reason === '') return { error: 'reason' };
  if (reason === 'other' && note === '') return { error: 'note' };
  return {
    verdict: {
      eligible: fromCents(eligible),
      ineligible: fromCents(ineligible),
      ...(reason ? { ineligibleReason: reason } : {}),
      ...(note ? { note } : {}),
    },
  };
}
