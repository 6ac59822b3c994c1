import { eur, lt, num, percent, vilniusMinute } from './pdf-format';

const plain = (s: string) => s.replace(/\u00a0/g, ' ');

describe('PDF number formats (Lithuanian)', () => {
  it('writes EUR with grouped digits, a decimal comma and the sign after', () => {
    expect(plain(eur(123_456_789))).toBe('1 234 567,89 €');
    expect(plain(eur(4_394_021_200n))).toBe('43 940 212,00 €');
    expect(plain(eur(5))).toBe('0,05 €');
    expect(plain(eur(-100_000))).toBe('−1 000,00 €');
    expect(plain(eur(999_999_999_999_999_999n))).toBe('9 999 999 999 999 999,99 €');
  });

  it('writes counts, decimals and shares the same way', () => {
    expect(plain(num(4018))).toBe('4 018');
    expect(plain(num(1234.5, 1))).toBe('1 234,5');
    expect(plain(num(2, 1))).toBe('2');
    expect(plain(percent(0.125))).toBe('12,5 %');
  });

  it('shows a ledger instant in Vilnius time, summer and winter', () => {
    expect(vilniusMinute('2024-05-10T21:30:00.000Z')).toBe('2024-05-11 00:30');
    expect(vilniusMinute('2024-01-10T21:30:00.000Z')).toBe('2024-01-10 23:30');
  });

  it('names the codes in Lithuanian, the code itself when it has no name', () => {
    expect(lt('elderly')).toBe('Senyvo amžiaus asmenys');
    expect(lt('something-new')).toBe('something-new');
    expect([lt('under-18'), lt('18-29'), lt('55-plus'), lt('yes')]).toEqual([
      'Iki 18 m.',
      '18–29 m.',
      '55 m. ir vyresni',
      'Su negalia',
    ]);
  });
});
