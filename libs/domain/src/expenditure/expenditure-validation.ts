import { checkDate, type DatingContext } from '../activity/activity-validation';
import { formatMoney, isCents, type Cents } from '../shared/money';
import { IssueCollector } from '../shared/validation';
import type { ExpenditureFields } from './expenditure.events';

/**
 * What the project allows one expenditure: a category of its budget, and an amount no larger than
 * its envelope (a cost the whole project cannot hold is a typing error, and unbounded amounts
 * would let one partner push every budget sum out of range).
 */
export interface ExpenditureBudget {
  readonly categories: readonly string[];
  readonly envelopeCents: Cents;
}

export function validateExpenditureFields(f: ExpenditureFields, budget: ExpenditureBudget, ctx: DatingContext): void {
  const c = new IssueCollector();
  const { categories, envelopeCents } = budget;
  if (!categories.includes(f.categoryId))
    c.add('categoryId', 'budget-category', `must be one of ${categories.join(', ')}`, f.categoryId);
  if (!isCents(f.amountCents) || f.amountCents === 0)
    c.add('amount', 'money', 'must be a positive amount', f.amountCents);
  else if (f.amountCents > envelopeCents)
    c.add(
      'amount',
      'within-envelope',
      `must not exceed the project's envelope of ${formatMoney(envelopeCents)}`,
      formatMoney(f.amountCents),
    );
  checkDate(c, 'occurredOn', f.occurredOn, ctx);
  if (typeof f.documentRef !== 'string' || f.documentRef.trim() === '' || f.documentRef.length > 100) {
    c.add(
      'documentRef',
      'non-empty-string',
      'must name the supporting document in at most 100 characters',
      f.documentRef,
    );
  }
  if (typeof f.description !== 'string' || f.description.trim() === '' || f.description.length > 500) {
    c.add('description', 'non-empty-string', 'must be a non-empty string of at most 500 characters', f.description);
  }
  c.throwIfAny();
}
