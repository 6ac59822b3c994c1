import { endOfVilniusDay, vilniusDate } from './vilnius-date';

describe('Vilnius calendar days', () => {
  it.each([
    // Winter time (UTC+2) until 03:00 on the last Sunday of March, summer time (UTC+3) until 04:00
    // on the last Sunday of October.
    ['2024-03-30', '2024-03-30T21:59:59.999Z'],
    ['2024-03-31', '2024-03-31T20:59:59.999Z'],
    ['2024-07-01', '2024-07-01T20:59:59.999Z'],
    ['2024-10-26', '2024-10-26T20:59:59.999Z'],
    ['2024-10-27', '2024-10-27T21:59:59.999Z'],
    ['2024-12-31', '2024-12-31T21:59:59.999Z'],
  ])('%s ends at %s', (date, end) => {
    const instant = endOfVilniusDay(date);
    expect(instant.toISOString()).toBe(end);
    expect(vilniusDate(instant)).toBe(date);
    expect(vilniusDate(new Date(instant.getTime() + 1))).not.toBe(date);
  });
});
