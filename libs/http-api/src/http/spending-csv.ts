import type { BudgetBetweenView } from '@ihl/application';
import { formatMoney } from '@ihl/domain';

/** The expenditures of a date range as CSV: `row` tells lines, the total and the months apart, as in the budget's. */
export function spendingCsv(v: BudgetBetweenView): [string[], (string | number | boolean)[][]] {
  const sums = (s: BudgetBetweenView['total']) =>
    [s.declaredCents, s.eligibleCents, s.ineligibleCents, s.pendingCents].map(formatMoney);
  const rows = v.lines.map((l) => ['line', l.partnerId, l.categoryId, '', ...sums(l)]);
  rows.push(['total', '', '', '', ...sums(v.total)]);
  for (const m of v.burn)
    rows.push(['month', '', '', m.month, formatMoney(m.declaredCents), formatMoney(m.eligibleCents), '', '']);
  return [['row', 'partner', 'category', 'month', 'declared', 'eligible', 'ineligible', 'pending'], rows];
}
