import type { ApiIssue } from '../../api';
import type { Dictionary } from '../../i18n/lt';
import type { FieldSpec } from '../../pages/partner/record-kinds';

type Rules = Dictionary['partnerForms']['rules'];

const BY_RULE: Readonly<Record<string, (r: Rules) => string>> = {
  isDefined: (r) => r.required,
  isNotEmpty: (r) => r.required,
  isString: (r) => r.required,
  isObject: (r) => r.required,
  'non-empty-string': (r) => r.required,
  isIn: (r) => r.choice,
  maxLength: (r) => r.tooLong,
  isLength: (r) => r.personalCode,
  'no-personal-code': (r) => r.noPersonalCode,
  reason: (r) => r.reason,
  'not-in-future': (r) => r.future,
  'within-project-period': (r) => r.period,
  'on-or-after-partner-joined': (r) => r.joined,
  'period-not-locked': (r) => r.locked,
  'period-locked': (r) => r.locked,
  'quantity-times-unit-price': (r) => r.product,
  'pre-school-for-disabled-children': (r) => r.preSchool,
  'budget-category': (r) => r.category,
  'iso-date': (r) => r.date,
};

/**
 * The API's refusal of a field in the page's language: the rule in plain words where it is known
 * (the API's messages are English and name the body's fields), else the API's own message.
 */
export function issueText(rules: Rules, issue: ApiIssue, field: FieldSpec | undefined): string {
  if (
    ['isInt', 'min', 'max', 'integer-range'].includes(issue.rule) &&
    field?.min !== undefined &&
    field.max !== undefined
  )
    return rules.range(field.min, field.max);
  if (issue.rule === 'matches') {
    if (field?.type === 'date') return rules.date;
    if (field?.type === 'money') return rules.money;
    if (issue.field === 'reason') return rules.reason;
    if (field?.type === 'category') return rules.category;
    return rules.ref;
  }
  const known = BY_RULE[issue.rule];
  return known ? known(rules) : issue.message;
}
