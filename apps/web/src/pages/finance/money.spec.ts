import { euros, fromCents, parseTypedMoney, sumMoney, toCents } from './money';

describe('finance money in cents', () => {
  it('reads and writes decimal strings without losing a cent', () => {
    expect(toCents('90071992547409.93')).toBe(9007199254740993n);
    expect(fromCents(9007199254740993n)).toBe('90071992547409.93');
    expect(toCents('0.5')).toBe(50n);
    expect(fromCents(-345n)).toBe('-3.45');
  });

  it('sums exactly where floats would not', () => {
    expect(sumMoney(['0.10', '0.20'])).toBe('0.30');
    expect(sumMoney(['1250000.00', '84500.50', '990000.00'])).toBe('2324500.50');
    expect(sumMoney([])).toBe('0.00');
  });

  it('takes what a person types, the Lithuanian or the English way', () => {
    expect(parseTypedMoney('1 234,5')).toBe('1234.50');
    expect(parseTypedMoney('45000')).toBe('45000.00');
    expect(parseTypedMoney('12.345')).toBeNull();
    expect(parseTypedMoney('-1')).toBeNull();
    expect(parseTypedMoney('abc')).toBeNull();
  });

  it('gives the chart a number', () => {
    expect(euros('123456.78')).toBe(123456.78);
  });
});
