import type { ValidationIssue } from '@ihl/domain';
import { containsPersonalCode, redactPersonalCodes } from '@ihl/privacy';

/**
 * A field path that names a personal code at any depth ("personalCode",
 * "recipient.personalCode", "records[3].recipient.personalCode"): its value is never quoted,
 * valid or not, since a mistyped code (one digit more or changed) still identifies the person.
 */
export function isPersonalCodeField(field: string): boolean {
  return field.split(/[.[\]]/).some((segment) => segment.toLowerCase() === 'personalcode');
}

/** Whether a value an issue would quote holds something shaped like a personal code. */
function quotesPersonalCode(value: unknown): boolean {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return typeof text === 'string' && containsPersonalCode(text);
}

/**
 * The issue as it may be answered: no value for a personal-code field or for a value that holds a
 * code (a free text refused for holding one, an unknown field, a header), and no code in the field
 * name or message (an unknown property can be named by a code).
 */
export function redactIssue(issue: ValidationIssue): ValidationIssue {
  const { value, ...rest } = issue;
  const safe = { ...rest, field: redactPersonalCodes(rest.field), message: redactPersonalCodes(rest.message) };
  const quotable = value !== undefined && !isPersonalCodeField(issue.field) && !quotesPersonalCode(value);
  return quotable ? { ...safe, value } : safe;
}
