import type { CoFinancing, PartnerCoFinancing } from '../project/project-definition';
import { allocateByRates, type Cents, type CentsSum } from '../shared/money';
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

/** Budget sums being added up (a partner's or the project's, from their lines). */
export type BudgetTally = { -readonly [K in keyof BudgetSums]: CentsSum };

/** The sums of no line: every amount zero. */
export function zeroBudgetSums(): BudgetTally {
  return {
    allocatedCents: 0n,
    declaredCents: 0n,
    eligibleCents: 0n,
    ineligibleCents: 0n,
    pendingCents: 0n,
    remainingCents: 0n,
  };
}

export function addBudgetSums(into: BudgetTally, sums: BudgetSums): void {
  for (const k of Object.keys(into) as (keyof BudgetSums)[]) into[k] += sums[k];
}

/** The ESF+ and national parts of an eligible amount at the co-financing rates, summing to it exactly. */
export function coFinancingShares(
  eligibleCents: CentsSum,
  esfPlusBp: number,
  nationalBp: number,
): BudgetFigures['shares'] {
  const [esfPlusCents = 0n, nationalCents = 0n] = allocateByRates(eligibleCents, [esfPlusBp, nationalBp]);
  return { esfPlusCents, nationalCents };
}

/** A partner's split of its eligible costs: its own when the definition gives one, else the project's. */
export function partnerCoFinancing(
  project: { readonly coFinancing: CoFinancing },
  partner: { readonly coFinancing?: PartnerCoFinancing } | undefined,
): PartnerCoFinancing {
  return partner?.coFinancing ?? { ...project.coFinancing, ownBp: 0 };
}

/** A partner's ESF+, national and own parts of its eligible amount, at its rates, summing to it exactly. */
export function partnerShares(
  eligibleCents: CentsSum,
  rates: PartnerCoFinancing,
): { readonly esfPlusCents: CentsSum; readonly nationalCents: CentsSum; readonly ownCents: CentsSum } {
  const [esfPlusCents = 0n, nationalCents = 0n, ownCents = 0n] = allocateByRates(eligibleCents, [
    rates.esfPlusBp,
    rates.nationalBp,
    rates.ownBp,
  ]);
  return { esfPlusCents, nationalCents, ownCents };
}
