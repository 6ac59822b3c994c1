/**
 * Why finance found part of an expenditure ineligible: the code list a verdict's ineligible amount
 * carries (docs/finance.md), so claims and audits can sum cuts by cause. `other` needs a note.
 */
export const INELIGIBILITY_REASONS = [
  'outside-eligibility-period',
  'not-in-approved-budget',
  'no-supporting-document',
  'not-paid',
  'procurement-breach',
  'recoverable-vat',
  'double-funding',
  'not-related-to-project',
  'above-market-price',
  'calculation-error',
  'other',
] as const;
export type IneligibilityReason = (typeof INELIGIBILITY_REASONS)[number];

/**
 * How VAT on an expenditure is treated: only VAT the partner cannot recover is an eligible cost
 * (ESF+ regulation 2021/1060, art. 64(1)(c)).
 */
export const VAT_TREATMENTS = [
  'recoverable',
  'non-recoverable',
  'partly-recoverable',
  'not-applicable',
  'exempt',
] as const;
export type VatTreatment = (typeof VAT_TREATMENTS)[number];
