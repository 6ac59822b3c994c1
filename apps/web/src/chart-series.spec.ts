import { addMonth, chartSeries } from './chart-series';

describe('overview chart series', () => {
  it('counts months across years', () => {
    expect(addMonth('2024-11', 1)).toBe('2024-12');
    expect(addMonth('2024-12', 1)).toBe('2025-01');
    expect(addMonth('2024-01', 25)).toBe('2026-02');
  });

  it('continues the trajectory to the target and the forecast from the last figure to the deadline', () => {
    const curve = [
      { month: '2024-01', cumulative: 10, trajectory: 10 },
      { month: '2024-02', cumulative: 25, trajectory: 20 },
    ];
    const s = chartSeries(curve, '2024-06-30', 60, 65);
    expect(s.months).toEqual(['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06']);
    expect(s.cumulative).toEqual([10, 25, null, null, null, null]);
    expect(s.trajectory).toEqual([10, 20, 30, 40, 50, 60]);
    expect(s.forecast).toEqual([null, 25, 35, 45, 55, 65]);
  });

  it('draws nothing without a curve, and ends at the last figure when the deadline has passed', () => {
    expect(chartSeries([], '2026-12-31', 4018, 0).months).toEqual([]);
    const s = chartSeries([{ month: '2026-12', cumulative: 4100, trajectory: 4018 }], '2026-12-31', 4018, 4100);
    expect(s).toEqual({ months: ['2026-12'], cumulative: [4100], trajectory: [4018], forecast: [4100] });
  });
});
