// Lithuanian personal code ("asmens kodas"): G YYMMDD NNN K.
// G = century and sex (1/2: 1800s, 3/4: 1900s, 5/6: 2000s; odd = male), K = check digit.
// Messages never contain the code or any part of it: they end up in logs and API answers.

export type PersonalCodeRule = 'required' | 'digits' | 'length' | 'first-digit' | 'birth-date' | 'checksum';

export type PersonalCodeValidation =
  { readonly ok: true } | { readonly ok: false; readonly rule: PersonalCodeRule; readonly message: string };

export interface PersonalCodeAttributes {
  /** ISO date, e.g. "1987-03-18". */
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
}

export const PERSONAL_CODE_LENGTH = 11;

const WEIGHTS_FIRST = [1, 2, 3, 4, 5, 6, 7, 8, 9, 1] as const;
const WEIGHTS_SECOND = [3, 4, 5, 6, 7, 8, 9, 1, 2, 3] as const;

/** Removes whitespace and dash-like characters that people type or paste between digit groups. */
export function normalisePersonalCode(input: string): string {
  return input.replace(/[\s\-\u2010-\u2015\u2212]/g, '');
}

/**
 * The check digit for the first 10 digits: two weighted passes modulo 11; a remainder of 10 in both
 * passes gives 0.
 */
export function personalCodeCheckDigit(firstTenDigits: string): number {
  if (!/^\d{10}$/.test(firstTenDigits)) throw new TypeError('personal code check digit needs exactly 10 digits');
  const digits = [...firstTenDigits].map(Number);
  const first = weightedRemainder(digits, WEIGHTS_FIRST);
  if (first !== 10) return first;
  const second = weightedRemainder(digits, WEIGHTS_SECOND);
  return second === 10 ? 0 : second;
}

/** Validates the code after normalising it (spaces and dashes are allowed in the input). */
export function validatePersonalCode(code: string): PersonalCodeValidation {
  if (typeof code !== 'string') return fail('required', 'personal code is required');
  const c = normalisePersonalCode(code);
  if (c.length === 0) return fail('required', 'personal code is required');
  if (!/^\d+$/.test(c)) return fail('digits', 'personal code must contain digits only (spaces and dashes are ignored)');
  if (c.length !== PERSONAL_CODE_LENGTH) {
    return fail('length', `personal code must have ${PERSONAL_CODE_LENGTH} digits (got ${c.length})`);
  }
  if (centuryOf(c) === undefined) {
    return fail('first-digit', 'personal code must start with 1-6 (century and sex of the person)');
  }
  if (birthDateOf(c) === undefined) return fail('birth-date', 'personal code does not contain a valid birth date');
  if (personalCodeCheckDigit(c.slice(0, 10)) !== Number(c[10])) {
    return fail('checksum', 'personal code check digit does not match (mistyped digit?)');
  }
  return { ok: true };
}

/**
 * Birth date and sex encoded in a valid code (sensitive attributes: encrypt them, never put them in
 * events in the clear). Throws a TypeError naming the rule when the code is invalid.
 */
export function personalCodeAttributes(code: string): PersonalCodeAttributes {
  const v = validatePersonalCode(code);
  if (!v.ok) throw new TypeError(v.message);
  const c = normalisePersonalCode(code);
  return { birthDate: birthDateOf(c) as string, sex: Number(c[0]) % 2 === 1 ? 'male' : 'female' };
}

function weightedRemainder(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits[i] as number) * (weights[i] as number);
  return sum % 11;
}

function centuryOf(c: string): number | undefined {
  const g = Number(c[0]);
  return g >= 1 && g <= 6 ? 1800 + Math.floor((g - 1) / 2) * 100 : undefined;
}

function birthDateOf(c: string): string | undefined {
  const century = centuryOf(c);
  if (century === undefined) return undefined;
  const year = century + Number(c.slice(1, 3));
  const month = Number(c.slice(3, 5));
  const day = Number(c.slice(5, 7));
  if (month < 1 || month > 12 || day < 1) return undefined;
  // Day 0 of the next month is the last day of this one (UTC: no time zone or DST effects).
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${year}-${c.slice(3, 5)}-${c.slice(5, 7)}`;
}

function fail(rule: PersonalCodeRule, message: string): PersonalCodeValidation {
  return { ok: false, rule, message };
}
