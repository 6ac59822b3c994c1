import type { CentsSum } from '../shared/money';

/**
 * What payment claims did with the costs of a budget line (partner × category): claimed (in claims
 * not withdrawn), accepted by the managing authority, reimbursed, and outstanding = accepted and
 * not yet reimbursed. Sums: BigInt, exact past 2^53.
 */
export interface ClaimSums {
  readonly claimedCents: CentsSum;
  readonly acceptedCents: CentsSum;
  readonly reimbursedCents: CentsSum;
  readonly outstandingCents: CentsSum;
}

export interface ClaimBudgetLine extends ClaimSums {
  readonly partnerId: string;
  readonly categoryId: string;
}

/** The claims' part of the budget: per line, per partner and in total, each total the sum of its parts. */
export interface ClaimBudgetFigures {
  readonly lines: readonly ClaimBudgetLine[];
  readonly byPartner: Readonly<Record<string, ClaimSums>>;
  readonly total: ClaimSums;
}

type Tally = { -readonly [K in keyof ClaimSums]: CentsSum };
const zero = (): Tally => ({ claimedCents: 0n, acceptedCents: 0n, reimbursedCents: 0n, outstandingCents: 0n });

/** Adds the lines up by partner and in total. */
export function claimBudgetFigures(lines: readonly ClaimBudgetLine[]): ClaimBudgetFigures {
  const total = zero();
  const byPartner: Record<string, Tally> = {};
  for (const { partnerId, categoryId: _c, ...sums } of lines)
    for (const into of [total, (byPartner[partnerId] ??= zero())])
      for (const k of Object.keys(into) as (keyof ClaimSums)[]) into[k] += sums[k];
  return { lines, byPartner, total };
}
