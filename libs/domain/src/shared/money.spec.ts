import fc from 'fast-check';
import { allocateByRates, formatMoney, parseMoney, sumCents } from './money';

describe('money', () => {
  it('parses decimal strings with exactly two places into cents', () => {
    expect(parseMoney('43940212.00')).toBe(4_394_021_200);
    expect(parseMoney('0.01')).toBe(1);
    expect(parseMoney('0.00')).toBe(0);
    for (const bad of [
      '1',
      '1.0',
      '1.001',
      '01.00',
      '-1.00',
      ' 1.00',
      '1,00',
      '1e3',
      '',
      12.5,
      null,
      undefined,
      '12345678901234.00',
    ]) {
      expect(parseMoney(bad)).toBeNull();
    }
  });

  it('round-trips every amount exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999_999 }), (cents) => {
        expect(parseMoney(formatMoney(cents))).toBe(cents);
      }),
    );
    expect(formatMoney(-105)).toBe('-1.05');
  });

  it('sums and formats past 2^53 cents exactly, where a number would round', () => {
    const largest = 999_999_999_999_999;
    const ten = sumCents(Array.from({ length: 10 }, () => largest));
    expect(ten).toBe(9_999_999_999_999_990n);
    expect(formatMoney(ten)).toBe('99999999999999.90');
    expect(formatMoney(2n ** 53n + 1n)).toBe('90071992547409.93');
    expect(formatMoney(-(2n ** 64n) - 1n)).toBe('-184467440737095516.17');
    expect(formatMoney(5n)).toBe('0.05');
    expect(() => formatMoney(0.5)).toThrow(/whole number of cents/);
    expect(() => formatMoney(2 ** 53 + 2)).toThrow(/whole number of cents/);
  });

  it('splits by rates into parts that sum exactly to the whole', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 0, max: 10_000 }), (total, esf) => {
        const parts = allocateByRates(BigInt(total), [esf, 10_000 - esf]);
        expect(parts[0]! + parts[1]!).toBe(BigInt(total));
        expect(parts.every((p) => p >= 0n)).toBe(true);
        expect(Math.abs(Number(parts[0]!) - (total * esf) / 10_000)).toBeLessThan(1);
      }),
    );
    expect(allocateByRates(101n, [8500, 1500])).toEqual([86n, 15n]);
    // Past 2^53: the parts still sum to the whole to the cent.
    const big = 10n ** 19n + 1n;
    const [esf, national] = allocateByRates(big, [8500, 1500]);
    expect([esf, national]).toEqual([8_500_000_000_000_000_001n, 1_500_000_000_000_000_000n]);
    expect(() => allocateByRates(100n, [5000, 4000])).toThrow(/10000/);
  });
});
