import { checkDate, type DatingContext } from '../activity/activity-validation';
import { formatMoney, isCents, type Cents } from '../shared/money';
import { isIsoDate } from '../shared/iso-date';
import { IssueCollector } from '../shared/validation';
import { INELIGIBILITY_REASONS, VAT_TREATMENTS, type IneligibilityReason } from './verification-codes';
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
  checkVerificationDetail(c, f, ctx);
  c.throwIfAny();
}

/** A company or VAT code; 11 digits is the shape of a person's code, so never a supplier's. */
const SUPPLIER_CODE = /^[A-Za-z0-9][A-Za-z0-9-]{1,29}$/;

/** The optional detail finance checks an expenditure against: document date, supplier, VAT. */
function checkVerificationDetail(c: IssueCollector, f: ExpenditureFields, ctx: DatingContext): void {
  if (f.documentDate !== undefined) {
    if (!isIsoDate(f.documentDate))
      c.add('documentDate', 'iso-date', 'must be a calendar date YYYY-MM-DD', f.documentDate);
    else if (f.documentDate > ctx.today)
      c.add('documentDate', 'not-in-future', `must not be after today (${ctx.today})`, f.documentDate);
  }
  if (f.supplier !== undefined) {
    const { name, code } = f.supplier;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200)
      c.add('supplier.name', 'non-empty-string', 'must be a non-empty string of at most 200 characters', name);
    if (code !== undefined && (typeof code !== 'string' || !SUPPLIER_CODE.test(code) || /^\d{11}$/.test(code)))
      c.add(
        'supplier.code',
        'supplier-code',
        'must be a company or VAT code (2-30 letters, digits, dashes; not 11 digits)',
      );
  }
  if (f.vatTreatment !== undefined && !VAT_TREATMENTS.includes(f.vatTreatment))
    c.add('vatTreatment', 'enum', `must be one of ${VAT_TREATMENTS.join(', ')}`, f.vatTreatment);
}

/**
 * A verdict's reason for its ineligible amount: from the code list, required with an ineligible
 * amount and only with one, `other` with a note saying what. Events recorded before it was
 * required carry none and still read (evolve does not check).
 */
export function checkIneligibleReason(
  reason: string | undefined,
  ineligibleCents: Cents,
  note: string | undefined,
): { readonly ineligibleReason?: IneligibilityReason } {
  const c = new IssueCollector();
  if (reason === undefined) {
    if (ineligibleCents > 0)
      c.add(
        'ineligibleReason',
        'required',
        `is required with an ineligible amount above 0.00: one of ${INELIGIBILITY_REASONS.join(', ')}`,
      );
    c.throwIfAny();
    return {};
  }
  const known = INELIGIBILITY_REASONS.find((r) => r === reason);
  if (!known) c.add('ineligibleReason', 'enum', `must be one of ${INELIGIBILITY_REASONS.join(', ')}`, reason);
  else if (ineligibleCents === 0)
    c.add('ineligibleReason', 'with-ineligible-amount', 'is given only with an ineligible amount above 0.00', reason);
  else if (known === 'other' && !note?.trim())
    c.add('note', 'required', "must say what the reason is when the reason is 'other'");
  c.throwIfAny();
  return known ? { ineligibleReason: known } : {};
}
