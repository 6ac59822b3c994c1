import fc from 'fast-check';
import {
  normalisePersonalCode,
  personalCodeAttributes,
  personalCodeCheckDigit,
  validatePersonalCode,
  type PersonalCodeValidation,
} from './personal-code';

/** Builds a code from its parts with the checksum under test: first digit, YYMMDD, 3-digit serial. */
function makeCode(firstDigit: number, yymmdd: string, serial: number): string {
  const ten = `${firstDigit}${yymmdd}${String(serial).padStart(3, '0')}`;
  return ten + String(personalCodeCheckDigit(ten));
}

function firstDigitFor(year: number, sex: 'male' | 'female'): number {
  return (Math.floor(year / 100) - 18) * 2 + (sex === 'male' ? 1 : 2);
}

function ruleOf(v: PersonalCodeValidation): string | undefined {
  return v.ok ? undefined : v.rule;
}

describe('personal code (LT)', () => {
  describe('published and hand-checked examples', () => {
    // 3 8 7 0 3 1 8 1 7 4 with weights 1..9,1: 3+16+21+0+15+6+56+8+63+4 = 192; 192 mod 11 = 5 -> check digit 5.
    it('accepts 38703181745 (widely published example: male, 1987-03-18)', () => {
      expect(validatePersonalCode('38703181745')).toEqual({ ok: true });
      expect(personalCodeAttributes('38703181745')).toEqual({ birthDate: '1987-03-18', sex: 'male' });
    });

    // First pass: 3+16+21+0+15+6+56+0+9+5 = 131, 131 mod 11 = 10; second pass (3..9,1,2,3):
    // 9+32+35+0+21+8+72+0+2+15 = 194, 194 mod 11 = 7 -> check digit 7.
    it('uses the second pass when the first remainder is 10 (38703180157)', () => {
      expect(personalCodeCheckDigit('3870318015')).toBe(7);
      expect(validatePersonalCode('38703180157')).toEqual({ ok: true });
    });

    // First pass: 3+16+21+0+15+6+56+0+0+3 = 120 -> 10; second: 9+32+35+0+21+8+72+0+0+9 = 186 -> 10; so 0.
    it('gives 0 when both remainders are 10 (38703180030)', () => {
      expect(personalCodeCheckDigit('3870318003')).toBe(0);
      expect(validatePersonalCode('38703180030')).toEqual({ ok: true });
    });
  });

  it('normalises spaces and dashes', () => {
    expect(normalisePersonalCode(' 387 0318-1745 ')).toBe('38703181745');
    expect(normalisePersonalCode('387\u00a003\u201318\t1745')).toBe('38703181745');
    expect(validatePersonalCode('387-031-817-45')).toEqual({ ok: true });
  });

  it.each([
    ['', 'required'],
    ['   ', 'required'],
    ['3870318174A', 'digits'],
    ['+37038703181745', 'digits'],
    ['3870318174', 'length'],
    ['387031817451', 'length'],
    ['08703181745', 'first-digit'],
    ['78703181745', 'first-digit'],
    ['98703181745', 'first-digit'],
    ['38713181745', 'birth-date'], // month 13
    ['38700181745', 'birth-date'], // month 00
    ['38703001745', 'birth-date'], // day 00
    ['38704311745', 'birth-date'], // 31 April
    ['38703181746', 'checksum'],
  ])('refuses %j with rule %s', (code, rule) => {
    const v = validatePersonalCode(code);
    expect(ruleOf(v)).toBe(rule);
  });

  it('knows leap years per century (29 February)', () => {
    expect(validatePersonalCode(makeCode(5, '000229', 1))).toEqual({ ok: true }); // 2000: leap
    expect(ruleOf(validatePersonalCode(makeCode(3, '000229', 1)))).toBe('birth-date'); // 1900: not leap
    expect(ruleOf(validatePersonalCode(makeCode(1, '000229', 1)))).toBe('birth-date'); // 1800: not leap
    expect(validatePersonalCode(makeCode(4, '960229', 123))).toEqual({ ok: true }); // 1996
    expect(ruleOf(validatePersonalCode(makeCode(6, '230229', 1)))).toBe('birth-date'); // 2023
  });

  it('reads century and sex from the first digit', () => {
    expect(personalCodeAttributes(makeCode(1, '990101', 7))).toEqual({ birthDate: '1899-01-01', sex: 'male' });
    expect(personalCodeAttributes(makeCode(4, '870318', 7))).toEqual({ birthDate: '1987-03-18', sex: 'female' });
    expect(personalCodeAttributes(makeCode(6, '101231', 7))).toEqual({ birthDate: '2010-12-31', sex: 'female' });
    expect(() => personalCodeAttributes('38703181746')).toThrow(/check digit/);
  });

  const validCode = fc
    .record({
      date: fc.date({
        min: new Date('1800-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      sex: fc.constantFrom('male' as const, 'female' as const),
      serial: fc.integer({ min: 0, max: 999 }),
    })
    .map(({ date, sex, serial }) => {
      const iso = date.toISOString().slice(0, 10);
      const year = date.getUTCFullYear();
      const yymmdd = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
      return { code: makeCode(firstDigitFor(year, sex), yymmdd, serial), birthDate: iso, sex };
    });

  it('accepts every code built from a real date, sex and serial, and reads them back', () => {
    fc.assert(
      fc.property(validCode, ({ code, birthDate, sex }) => {
        expect(validatePersonalCode(code)).toEqual({ ok: true });
        expect(personalCodeAttributes(code)).toEqual({ birthDate, sex });
      }),
    );
  });

  it('refuses every other check digit', () => {
    fc.assert(
      fc.property(validCode, fc.integer({ min: 1, max: 9 }), ({ code }, delta) => {
        const wrong = code.slice(0, 10) + String((Number(code[10]) + delta) % 10);
        expect(ruleOf(validatePersonalCode(wrong))).toBe('checksum');
      }),
    );
  });

  it('never puts the code into a message', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{11}$/), (code) => {
        const v = validatePersonalCode(code);
        if (!v.ok) {
          expect(v.message).not.toContain(code);
          expect(v.message).not.toContain(code.slice(1, 7));
        }
      }),
    );
  });
});
