import type { MonthSpend } from './spend-forecast';

/** The budget picture as finance reads it; all amounts in cents. */
export interface BudgetLine {
  readonly partnerId: string;
  readonly categoryId: string;
  readonly allocatedCents: number;
  readonly declaredCents: number;
  readonly eligibleCents: number;
  readonly ineligibleCents: number;
  /** Declared but not verified yet. */
  readonly pendingCents: number;
  readonly remainingCents: number;
  readonly overSpent: boolean;
}

export interface BudgetFigures {
  readonly envelopeCents: number;
  readonly lines: readonly BudgetLine[];
  readonly byPartner: Readonly<Record<string, Omit<BudgetLine, 'partnerId' | 'categoryId' | 'overSpent'>>>;
  readonly total: Omit<BudgetLine, 'partnerId' | 'categoryId' | 'overSpent'> & { readonly unallocatedCents: number };
  /** ESF+ and national parts of the verified eligible amount, summing to it exactly. */
  readonly shares: { readonly esfPlusCents: number; readonly nationalCents: number };
  readonly flags: { readonly overAllocated: boolean; readonly overSpentLines: number };
  /** Every total, accumulated apart from its parts, compared with the sum of its parts and of the partners. */
  readonly reconciliation: { readonly ok: boolean; readonly differences: readonly string[] };
  /** Declared and eligible per month of the expenditure's date ("YYYY-MM"). */
  readonly byMonth: Readonly<Record<string, MonthSpend>>;
}
