import { parseDay } from './day-text';

describe('parseDay: days typed as Lithuanians write them', () => {
  it.each([
    ['2026-03-14', '2026-03-14'],
    ['2026.03.14', '2026-03-14'],
    ['2026.03.14.', '2026-03-14'],
    [' 2026-3-4 ', '2026-03-04'],
    ['2024-02-29', '2024-02-29'],
  ])('%s → %s', (text, day) => expect(parseDay(text)).toBe(day));

  it.each(['', '14.03.2026', '03/14/2026', '2026-03.14', '2026-13-01', '2026-04-31', '2025-02-29', '20260314', 'x'])(
    'refuses %j',
    (text) => expect(parseDay(text)).toBeNull(),
  );
});
