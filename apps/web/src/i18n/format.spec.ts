import { formatDay, formatMoney, formatNumber, formatShare } from './format';

describe('web formatting', () => {
  it('writes money the Lithuanian way: spaces between thousands, a decimal comma, the euro after', () => {
    expect(formatMoney('lt', '1234567.89').replace(/\s/g, ' ')).toBe('1 234 567,89 €');
    expect(formatMoney('lt', '43940212.00').replace(/\s/g, ' ')).toBe('43 940 212,00 €');
    expect(formatMoney('lt', '0.5')).toBe('0,50 €');
    expect(formatMoney('en', '1234567.89')).toBe('€1,234,567.89');
  });

  it('keeps every cent of amounts too large for a float', () => {
    expect(formatMoney('lt', '90071992547409.93').replace(/\s/g, ' ')).toBe('90 071 992 547 409,93 €');
  });

  it('numbers, shares and days', () => {
    expect(formatNumber('lt', 4018).replace(/\s/g, ' ')).toBe('4 018');
    expect(formatNumber('en', 4018)).toBe('4,018');
    expect(formatShare('lt', 0.1234).replace(/\s/g, ' ')).toBe('12,3 %');
    expect(formatDay('2026-12-06T10:00:00.000Z')).toBe('2026-12-06');
    expect(formatDay(null)).toBe('—');
  });
});
