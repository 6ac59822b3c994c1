// Finds personal codes typed into text that is not meant for them (notes, reasons, titles, header
// values), so that the API can refuse them before they reach events, metadata, logs or answers.
import { PERSONAL_CODE_LENGTH, validatePersonalCode } from './personal-code';

/** Where a code-shaped value sits in a text: [start, end) in UTF-16 units of the text as given. */
export interface PersonalCodeSpan {
  readonly start: number;
  readonly end: number;
}

const SPACE = '[ \\t\\u00A0\\u2007\\u202F]';
// The dash-like characters normalisePersonalCode drops too.
const DASH = '[-\\u2010-\\u2015\\u2212]';
const SEPARATOR = new RegExp(`^(?:${SPACE}|${SPACE}?${DASH}${SPACE}?)$`);

/**
 * Every place in `text` that holds something shaped like a Lithuanian personal code.
 *
 * The rule: the text is cut into digit groups, each a maximal run of digits (full-width digits count
 * as digits). Neighbouring groups are joined when only a separator stands between them: one space,
 * one dash, or one dash with a single space on either side, as in "461 010 10009", "46101-010009"
 * or "4 610101 - 0009". One or more consecutive joined groups, each taken whole, that hold 11 digits
 * together and pass validatePersonalCode (first digit 1-6, a real birth date, the check digit) are
 * a code. So:
 * - "kodas46101010009." is a code: letters and punctuation are not digits;
 * - "461010100091" is not: a 12-digit run is no personal code, and splitting longer runs would
 *   flag about one long number in a hundred (invoice, account and phone numbers);
 * - "12 46101010009" is: the 11-digit group alone is a code, whatever stands before it;
 * - dots, slashes, commas, line breaks and double spaces do not join groups: they part dates,
 *   amounts and list items, and joining across them would refuse ordinary text.
 */
export function findPersonalCodesInText(text: string): PersonalCodeSpan[] {
  const t = asciiDigits(text);
  const groups = [...t.matchAll(/\d+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length, digits: m[0] }));
  const spans: PersonalCodeSpan[] = [];
  for (let i = 0; i < groups.length; i++) {
    let digits = '';
    for (let j = i; j < groups.length; j++) {
      const g = groups[j]!;
      if (j > i && !SEPARATOR.test(t.slice(groups[j - 1]!.end, g.start))) break;
      digits += g.digits;
      if (digits.length > PERSONAL_CODE_LENGTH) break;
      if (digits.length === PERSONAL_CODE_LENGTH) {
        if (validatePersonalCode(digits).ok) spans.push({ start: groups[i]!.start, end: g.end });
        break;
      }
    }
  }
  return spans;
}

/** Whether `text` holds something shaped like a personal code (see findPersonalCodesInText). */
export function containsPersonalCode(text: string): boolean {
  return findPersonalCodesInText(text).length > 0;
}

export const PERSONAL_CODE_REDACTED = '[personal code removed]';

/** `text` with every code-shaped part replaced, for messages that quote what a client sent. */
export function redactPersonalCodes(text: string, replacement = PERSONAL_CODE_REDACTED): string {
  const spans = findPersonalCodesInText(text);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    // Spans can overlap when two groupings of the same digits both pass: cut from the furthest end.
    if (s.start >= at) out += text.slice(at, s.start) + replacement;
    at = Math.max(at, s.end);
  }
  return out + text.slice(at);
}

/** Full-width digits (some keyboards and phones produce them) as ASCII; one UTF-16 unit each. */
function asciiDigits(text: string): string {
  return text.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30));
}
