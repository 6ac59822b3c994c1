import fc from 'fast-check';
import type { ReportingPeriodKind } from '../project/project-definition';
import { isIsoDate, isWithin } from '../shared/iso-date';
import { isPeriodId, periodBounds, periodOf } from './reporting-period';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Any calendar date in years 1901-2199 (covers 2000 as a leap century and 2100 as a non-leap one). */
const calendarDate = fc
  .record({
    y: fc.integer({ min: 1901, max: 2199 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`)
  .filter(isIsoDate);

const kind = fc.constantFrom<ReportingPeriodKind>('monthly', 'quarterly');

describe('reporting periods', () => {
  describe('periodOf', () => {
    it.each([
      ['2024-01-01', '2024-01', '2024-Q1'],
      ['2024-02-29', '2024-02', '2024-Q1'],
      ['2024-03-31', '2024-03', '2024-Q1'],
      ['2024-04-01', '2024-04', '2024-Q2'],
      ['2024-06-30', '2024-06', '2024-Q2'],
      ['2024-07-01', '2024-07', '2024-Q3'],
      ['2024-09-30', '2024-09', '2024-Q3'],
      ['2024-10-01', '2024-10', '2024-Q4'],
      ['2024-12-31', '2024-12', '2024-Q4'],
      ['2022-12-08', '2022-12', '2022-Q4'],
      ['2026-12-31', '2026-12', '2026-Q4'],
    ])('%s is in month %s and quarter %s', (date, month, quarter) => {
      expect(periodOf(date, 'monthly')).toBe(month);
      expect(periodOf(date, 'quarterly')).toBe(quarter);
    });
  });

  describe('periodBounds', () => {
    it.each([
      ['2024-01', '2024-01-01', '2024-01-31'],
      ['2024-02', '2024-02-01', '2024-02-29'],
      ['2023-02', '2023-02-01', '2023-02-28'],
      ['2000-02', '2000-02-01', '2000-02-29'],
      ['1900-02', '1900-02-01', '1900-02-28'],
      ['2100-02', '2100-02-01', '2100-02-28'],
      ['2024-04', '2024-04-01', '2024-04-30'],
      ['2024-06', '2024-06-01', '2024-06-30'],
      ['2024-09', '2024-09-01', '2024-09-30'],
      ['2024-11', '2024-11-01', '2024-11-30'],
      ['2024-12', '2024-12-01', '2024-12-31'],
    ])('month %s runs %s..%s', (id, start, end) => {
      expect(periodBounds(id)).toEqual({ start, end });
    });

    it.each([
      ['2024-Q1', '2024-01-01', '2024-03-31'],
      ['2023-Q1', '2023-01-01', '2023-03-31'],
      ['2024-Q2', '2024-04-01', '2024-06-30'],
      ['2024-Q3', '2024-07-01', '2024-09-30'],
      ['2024-Q4', '2024-10-01', '2024-12-31'],
      ['2022-Q4', '2022-10-01', '2022-12-31'],
    ])('quarter %s runs %s..%s', (id, start, end) => {
      expect(periodBounds(id)).toEqual({ start, end });
    });
  });

  describe('isPeriodId', () => {
    it.each(['2024-01', '2024-09', '2024-10', '2024-12'])('accepts the month %s only for monthly reporting', (id) => {
      expect(isPeriodId(id, 'monthly')).toBe(true);
      expect(isPeriodId(id, 'quarterly')).toBe(false);
    });
    it.each(['2024-Q1', '2024-Q4'])('accepts the quarter %s only for quarterly reporting', (id) => {
      expect(isPeriodId(id, 'quarterly')).toBe(true);
      expect(isPeriodId(id, 'monthly')).toBe(false);
    });
    it.each(['2024-00', '2024-13', '2024-1', '24-01', '2024-Q0', '2024-Q5', '2024-q1', '2024-01-01', '', ' 2024-01'])(
      'refuses %p for both kinds',
      (id) => {
        expect(isPeriodId(id, 'monthly')).toBe(false);
        expect(isPeriodId(id, 'quarterly')).toBe(false);
      },
    );
    it('refuses non-strings', () => {
      for (const v of [202401, null, undefined, {}]) {
        expect(isPeriodId(v, 'monthly')).toBe(false);
        expect(isPeriodId(v, 'quarterly')).toBe(false);
      }
    });
  });

  describe('properties', () => {
    it('the bounds of periodOf(d) contain d, start on the 1st and end on the last day of a month', () => {
      fc.assert(
        fc.property(calendarDate, kind, (date, k) => {
          const id = periodOf(date, k);
          expect(isPeriodId(id, k)).toBe(true);
          const { start, end } = periodBounds(id);
          expect(isIsoDate(start)).toBe(true);
          expect(isIsoDate(end)).toBe(true);
          expect(isWithin(date, start, end)).toBe(true);
          expect(start.endsWith('-01')).toBe(true);
          // The end is the last day: the day after it does not exist in that month.
          const dayAfter = `${end.slice(0, 8)}${pad(Number(end.slice(8)) + 1)}`;
          expect(isIsoDate(dayAfter)).toBe(false);
          // Both bounds belong to the same period.
          expect(periodOf(start, k)).toBe(id);
          expect(periodOf(end, k)).toBe(id);
        }),
        { numRuns: 2000 },
      );
    });

    it('a month lies inside the quarter of any of its days', () => {
      fc.assert(
        fc.property(calendarDate, (date) => {
          const month = periodBounds(periodOf(date, 'monthly'));
          const quarter = periodBounds(periodOf(date, 'quarterly'));
          expect(isWithin(month.start, quarter.start, quarter.end)).toBe(true);
          expect(isWithin(month.end, quarter.start, quarter.end)).toBe(true);
        }),
      );
    });

    it('consecutive quarters tile the year without gaps or overlaps', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1901, max: 2199 }), (year) => {
          const quarters = [1, 2, 3, 4].map((q) => periodBounds(`${year}-Q${q}`));
          expect(quarters[0]!.start).toBe(`${year}-01-01`);
          expect(quarters[3]!.end).toBe(`${year}-12-31`);
          const months = Array.from({ length: 12 }, (_, i) => periodBounds(`${year}-${pad(i + 1)}`));
          const days = months.reduce((sum, m) => sum + Number(m.end.slice(8)), 0);
          const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
          expect(days).toBe(leap ? 366 : 365);
          for (let q = 0; q < 4; q++) {
            expect(quarters[q]!.start).toBe(months[q * 3]!.start);
            expect(quarters[q]!.end).toBe(months[q * 3 + 2]!.end);
          }
        }),
      );
    });
  });
});
