import { trajectory } from './trajectory';

describe('trajectory', () => {
  const base = { start: '2023-01-01', deadline: '2023-12-31', target: 1200 };

  it('builds the cumulative curve against the straight line to the target', () => {
    const t = trajectory({
      ...base,
      today: '2023-04-15',
      newByMonth: { '2023-01': 50, '2023-02': 100, '2023-03': 150, '2023-04': 20 },
    });
    expect(t.curve.map((p) => [p.month, p.newPersons, p.cumulative])).toEqual([
      ['2023-01', 50, 50],
      ['2023-02', 100, 150],
      ['2023-03', 150, 300],
      ['2023-04', 20, 320],
    ]);
    // 1200 × 30/364 days at 31 January, 1200 × 89/364 at 31 March.
    expect(t.curve[0]!.trajectory).toBe(Math.round((1200 * 30) / 364));
    expect(t.curve[2]!.trajectory).toBe(Math.round((1200 * 89) / 364));
  });

  it('forecasts at the pace of the last complete months and dates the target', () => {
    const t = trajectory({
      ...base,
      today: '2023-04-15',
      newByMonth: { '2023-01': 50, '2023-02': 100, '2023-03': 150, '2023-04': 20 },
      paceMonths: 2,
    });
    expect(t.pacePerMonth).toBe(125); // (100 + 150) / 2: April is not complete
    const monthsLeft = 260 / (365.25 / 12);
    expect(t.forecastAtDeadline).toBe(Math.round(320 + 125 * monthsLeft));
    // 880 left at 125 a month: 8 more months after April.
    expect(t.targetReachedMonth).toBe('2023-12');
    expect(t.onTrack).toBe(Math.round((1200 * 104) / 364) <= 320);
  });

  it('reports the month the target was reached, and no date at zero pace', () => {
    expect(
      trajectory({ ...base, target: 100, today: '2023-05-02', newByMonth: { '2023-02': 60, '2023-03': 60 } })
        .targetReachedMonth,
    ).toBe('2023-03');
    expect(trajectory({ ...base, today: '2023-05-02', newByMonth: {} })).toMatchObject({
      pacePerMonth: 0,
      forecastAtDeadline: 0,
      targetReachedMonth: null,
      onTrack: false,
    });
  });

  it('dates a far-off target by counting the months, not walking them', () => {
    const t = trajectory({
      start: '2024-01-01',
      deadline: '2024-12-31',
      target: 4018,
      today: '2024-07-15',
      newByMonth: { '2024-01': 6 },
    });
    // 6 persons in January, none since: 1 a month over the last 6 complete months (Jan-Jun).
    expect(t.pacePerMonth).toBe(1);
    // 4012 months after July 2024: 334 years and 4 months later.
    expect(t.targetReachedMonth).toBe('2358-11');
  });
});
