import fc from 'fast-check';
import { formatMoney } from '@ihl/domain';
import { euros } from './report-workbook.sheets';

/** The decimal text of an amount without trailing zeros, as a number cell should hold it. */
const decimalText = (cents: bigint) => formatMoney(cents).replace(/\.?0+$/, '');

describe('money cells (euros)', () => {
  it('writes a sum of cents as its exact decimal, where adding euros as doubles would not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(String(euros(10n + 20n))).toBe('0.3');
    expect(String(euros(4_394_021_200))).toBe('43940212');
    expect(String(euros(999_999_999_999_999n))).toBe('9999999999999.99');
    expect(String(euros(-123_456_789_012_345n))).toBe('-1234567890123.45');
  });

  it('every amount below EUR 10 trillion is written as exactly its decimal text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), (cents) => {
        expect(String(euros(cents))).toBe(decimalText(cents));
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses an amount it could not write to the cent', () => {
    expect(() => euros(10n ** 15n)).toThrow(/too large/);
    expect(() => euros(-(10n ** 15n))).toThrow(/too large/);
  });
});
