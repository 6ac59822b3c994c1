import { burnSeries } from './burn-series';

const month = (m: string, declared: string, cumulativeDeclared: string) => ({
  month: m,
  declared,
  eligible: '0.00',
  cumulativeDeclared,
});

describe('finance burn series', () => {
  it('continues from the last cumulative figure to the forecast in the last month of the project', () => {
    const s = burnSeries(
      [month('2024-11', '100.00', '100.00'), month('2024-12', '50.50', '150.50')],
      '2025-03-31',
      '450.50',
    );
    expect(s.months).toEqual(['2024-11', '2024-12', '2025-01', '2025-02', '2025-03']);
    expect(s.monthly).toEqual([100, 50.5, null, null, null]);
    expect(s.cumulative).toEqual([100, 150.5, null, null, null]);
    expect(s.forecast).toEqual([null, 150.5, 250.5, 350.5, 450.5]);
  });

  it('draws nothing without months, and no slope when the project ends this month', () => {
    expect(burnSeries([], '2025-03-31', '0.00').months).toEqual([]);
    expect(burnSeries([month('2025-03', '1.00', '9.00')], '2025-03-31', '9.00').forecast).toEqual([9]);
  });
});
