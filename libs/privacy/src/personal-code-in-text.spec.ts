import fc from 'fast-check';
import { validPersonalCode } from '../../../test/support/personal-code-arbitrary';
import { personalCodeCheckDigit, validatePersonalCode } from './personal-code';
import {
  PERSONAL_CODE_REDACTED,
  containsPersonalCode,
  findPersonalCodesInText,
  redactPersonalCodes,
} from './personal-code-in-text';

const CODE = '46101010009'; // woman born 1961-01-01, serial 000
const SEED = 20240615;

const validCode = validPersonalCode;

const SEPARATORS = [' ', '-', ' - ', '- ', ' -', '\u2013', '\u00A0'] as const;

/** The code cut into 1-4 groups at random places, joined by separators people type. */
const groupedCode = (code: string) =>
  fc
    .record({
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: 10 }), { maxLength: 3 }),
      seps: fc.array(fc.constantFrom(...SEPARATORS), { minLength: 3, maxLength: 3 }),
    })
    .map(({ cuts, seps }) => {
      const at = [0, ...[...cuts].sort((a, b) => a - b), code.length];
      const parts = at.slice(1).map((end, k) => code.slice(at[k], end));
      return parts.reduce((acc, part, k) => (k === 0 ? part : acc + seps[k - 1] + part), '');
    });

/** Arbitrary text around a value: it may hold digits, but never right next to the value. */
const prefix = fc
  .tuple(fc.string({ maxLength: 30 }), fc.constantFrom(' ', '-', 'x', '.', 'ą', '\n', ':', '('))
  .map(([s, edge]) => s + edge);
const suffix = fc
  .tuple(fc.constantFrom(' ', '-', 'x', '.', 'ą', '\n', ')', ','), fc.string({ maxLength: 30 }))
  .map(([edge, s]) => edge + s);
/** Text with no digits at all, so that nothing in it can form or extend a code. */
const digitFree = fc.string({ maxLength: 30 }).map((s) => s.replace(/[0-9\uFF10-\uFF19]/g, 'z'));

describe('personal codes in free text', () => {
  it.each([
    ['a bare code', CODE],
    ['inside a word, before a full stop', `kodas${CODE}.`],
    ['in a sentence', `Klientas (a.k. ${CODE}) atsisakė paslaugos`],
    ['grouped with spaces', '461 010 10009'],
    ['grouped with a dash', '46101-010009'],
    ['grouped as G YYMMDD NNNK with spaced dashes', '4 - 610101 - 0009'],
    ['with an en dash', '461010\u201310009'],
    ['after another number and a space', `12 ${CODE}`],
    ['followed by a dash and more digits', `${CODE}-1`],
    ['typed with full-width digits', '４６１０１０１０００９'],
    ['the widely published example', 'asmens kodas 38703181745'],
  ])('finds %s', (_label, text) => {
    expect(containsPersonalCode(text)).toBe(true);
  });

  it.each([
    ['an empty text', ''],
    ['a 12-digit run holding a code (code + digit)', `${CODE}1`],
    ['a 12-digit run holding a code (digit + code)', `1${CODE}`],
    ['a code with one digit changed (check digit)', '46101010008'],
    ['a code with one digit changed (serial)', '46101010019'],
    ['a valid check digit but first digit 7', lithuanian7()],
    ['a valid check digit but month 13', withCheckDigit('4611301000')],
    ['groups joined by a dot', '461.010.10009'],
    ['groups joined by two spaces', '461  010  10009'],
    ['groups split by a line break', '461010\n10009'],
    ['a Lithuanian mobile number', '+370 612 34567'],
    ['an IBAN', 'LT12 1000 0111 0100 1000'],
    ['dates and amounts', 'from 2024-06-01 to 2024-06-30, 1234.56 EUR, order 12345'],
  ])('does not flag %s', (_label, text) => {
    expect(containsPersonalCode(text)).toBe(false);
  });

  it('gives where each code is, so that it can be removed', () => {
    const text = `a ${CODE} b 461 010 10009 c`;
    expect(findPersonalCodesInText(text)).toEqual([
      { start: 2, end: 13 },
      { start: 16, end: 29 },
    ]);
    expect(redactPersonalCodes(text)).toBe(`a ${PERSONAL_CODE_REDACTED} b ${PERSONAL_CODE_REDACTED} c`);
    expect(redactPersonalCodes('no code here 2024-06-15')).toBe('no code here 2024-06-15');
  });

  describe('properties', () => {
    it('every valid code, bare or grouped, embedded in any text is found, and redaction removes it', () => {
      fc.assert(
        fc.property(
          validCode.chain((code) => fc.tuple(fc.constant(code), fc.oneof(fc.constant(code), groupedCode(code)))),
          prefix,
          suffix,
          ([code, typed], before, after) => {
            const text = before + typed + after;
            expect(containsPersonalCode(text)).toBe(true);
            expect(redactPersonalCodes(text).replace(/\D/g, '')).not.toContain(code);
          },
        ),
        { seed: SEED, numRuns: 500 },
      );
    });

    it('11 digits with a wrong check digit are not flagged, bare or grouped', () => {
      const wrong = fc
        .tuple(fc.stringMatching(/^\d{10}$/), fc.integer({ min: 1, max: 10 }))
        .map(([ten, shift]) => ten + String((personalCodeCheckDigit(ten) + shift) % 10))
        .filter((c) => c[10] !== String(personalCodeCheckDigit(c.slice(0, 10))));
      fc.assert(
        fc.property(
          wrong.chain((c) => fc.oneof(fc.constant(c), groupedCode(c))),
          digitFree,
          digitFree,
          (typed, before, after) => {
            expect(containsPersonalCode(before + typed + after)).toBe(false);
          },
        ),
        { seed: SEED, numRuns: 500 },
      );
    });

    it('a run of 12 or more digits holding a valid code is not flagged (it is no code)', () => {
      fc.assert(
        fc.property(
          validCode,
          fc.stringMatching(/^\d{0,3}$/),
          fc.stringMatching(/^\d{0,3}$/),
          digitFree,
          digitFree,
          (code, lead, trail, before, after) => {
            fc.pre(lead.length + trail.length > 0);
            expect(containsPersonalCode(`${before}x${lead}${code}${trail}x${after}`)).toBe(false);
          },
        ),
        { seed: SEED, numRuns: 500 },
      );
    });

    it('what it flags is always a valid code once separators are dropped', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 80, unit: fc.constantFrom(...'0123456789 -x') }), (text) => {
          for (const s of findPersonalCodesInText(text)) {
            expect(validatePersonalCode(text.slice(s.start, s.end).replace(/\D/g, ''))).toEqual({ ok: true });
          }
        }),
        { seed: SEED, numRuns: 1000 },
      );
    });
  });
});

function withCheckDigit(ten: string): string {
  return ten + String(personalCodeCheckDigit(ten));
}

function lithuanian7(): string {
  return withCheckDigit('7610101000');
}
