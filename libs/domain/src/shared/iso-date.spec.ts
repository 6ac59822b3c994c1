import fc from 'fast-check';
import { addMonths, monthEnd, monthsBetween } from './iso-date';

// The arithmetic written out with Date, as it was before it was made cheap: the reference. Years
// stay four-digit within ±100 years of the generated months.
const viaDate = {
  addMonths(month: string, n: number): string {
    const d = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1 + n, 1));
    return d.toISOString().slice(0, 7);
  },
  monthEnd(month: string): string {
    return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
  },
};

const month = fc
  .record({ y: fc.integer({ min: 1100, max: 8899 }), m: fc.integer({ min: 1, max: 12 }) })
  .map(({ y, m }) => `${y}-${String(m).padStart(2, '0')}`);

describe('month arithmetic', () => {
  it('addMonths, monthEnd and monthsBetween agree with the calendar (Date) for four-digit years', () => {
    fc.assert(
      fc.property(month, fc.integer({ min: -1200, max: 1200 }), (m, n) => {
        const moved = addMonths(m, n);
        expect(moved).toBe(viaDate.addMonths(m, n));
        expect(monthsBetween(m, moved)).toBe(n);
        expect(monthEnd(m)).toBe(viaDate.monthEnd(m));
        // A full date works as its month.
        expect(monthEnd(`${m}-15`)).toBe(viaDate.monthEnd(m));
      }),
      { numRuns: 2000 },
    );
  });

  it('knows the leap years', () => {
    expect(['2023-02', '2024-02', '1900-02', '2000-02', '2100-02'].map(monthEnd)).toEqual([
      '2023-02-28',
      '2024-02-29',
      '1900-02-28',
      '2000-02-29',
      '2100-02-28',
    ]);
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2023-01', -1)).toBe('2022-12');
  });
});
