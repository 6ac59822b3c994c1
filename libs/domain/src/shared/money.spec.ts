import fc from 'fast-check';
import { allocateByRates, formatMoney, parseMoney } from './money';

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

  it('splits by rates into parts that sum exactly to the whole', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 0, max: 10_000 }), (total, esf) => {
        const parts = allocateByRates(total, [esf, 10_000 - esf]);
        expect(parts[0]! + parts[1]!).toBe(total);
        expect(parts.every((p) => Number.isSafeInteger(p) && p >= 0)).toBe(true);
        expect(Math.abs(parts[0]! - (total * esf) / 10_000)).toBeLessThan(1);
      }),
    );
    expect(allocateByRates(101, [8500, 1500])).toEqual([86, 15]);
    expect(() => allocateByRates(100, [5000, 4000])).toThrow(/10000/);
  });
});
