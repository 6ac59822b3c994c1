import type { BudgetFigures, BudgetSums } from '@ihl/domain';

/**
 * A partner's own reconciliation: each of its totals against the sum of its lines, to the cent.
 * A partner's token gets this instead of the project's, whose differences quote project totals.
 */
export function partnerReconciliation(
  lines: BudgetFigures['lines'],
  total: BudgetSums,
): BudgetFigures['reconciliation'] {
  const differences: string[] = [];
  for (const k of Object.keys(total) as (keyof BudgetSums)[]) {
    const parts = lines.reduce((a, l) => a + BigInt(l[k]), 0n);
    if (parts !== BigInt(total[k])) differences.push(`${k.slice(0, -5)}: lines sum to ${parts}, total is ${total[k]}`);
  }
  return { ok: differences.length === 0, differences };
}
