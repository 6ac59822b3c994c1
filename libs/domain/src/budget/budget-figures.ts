import type { Cents, CentsSum } from '../shared/money';
import type { MonthSpend } from './spend-forecast';

/**
 * The budget picture as finance reads it; all amounts in cents. Every figure that adds amounts up
 * is a BigInt: a line's declarations can pass 2^53 cents, where a number stops being exact.
 */
export interface BudgetLine {
  readonly partnerId: string;
  readonly categoryId: string;
  readonly allocatedCents: CentsSum;
  readonly declaredCents: CentsSum;
  readonly eligibleCents: CentsSum;
  readonly ineligibleCents: CentsSum;
  /** Declared but not verified yet. */
  readonly pendingCents: CentsSum;
  readonly remainingCents: CentsSum;
  readonly overSpent: boolean;
}

export type BudgetSums = Omit<BudgetLine, 'partnerId' | 'categoryId' | 'overSpent'>;

export interface BudgetFigures {
  readonly envelopeCents: Cents;
  readonly lines: readonly BudgetLine[];
  readonly byPartner: Readonly<Record<string, BudgetSums>>;
  readonly total: BudgetSums & { readonly unallocatedCents: CentsSum };
  /** ESF+ and national parts of the verified eligible amount, summing to it exactly. */
  readonly shares: { readonly esfPlusCents: CentsSum; readonly nationalCents: CentsSum };
  readonly flags: { readonly overAllocated: boolean; readonly overSpentLines: number };
  /** Every total, accumulated apart from its parts, compared with the sum of its parts and of the partners. */
  readonly reconciliation: { readonly ok: boolean; readonly differences: readonly string[] };
  /** Declared and eligible per month of the expenditure's date ("YYYY-MM"). */
  readonly byMonth: Readonly<Record<string, MonthSpend>>;
}
