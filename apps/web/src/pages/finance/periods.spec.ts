import { projectPeriods } from './periods';

describe('the register periods of a project', () => {
  it('lists every quarter and month the project period touches', () => {
    const p = projectPeriods('2022-12-08', '2023-04-30');
    expect(p.months).toEqual(['2022-12', '2023-01', '2023-02', '2023-03', '2023-04']);
    expect(p.quarters).toEqual(['2022-Q4', '2023-Q1', '2023-Q2']);
  });
});
