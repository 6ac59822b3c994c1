import { backoffDelay } from './backoff-delay';

describe('backoffDelay', () => {
  it('doubles from the initial wait up to the maximum, drawn from the upper half of each', () => {
    const low = () => 0;
    const high = () => 1 - 1e-12;
    expect([1, 2, 3, 4, 5, 6, 10, 100].map((a) => backoffDelay(a, 250, 10_000, low))).toEqual([
      125, 250, 500, 1000, 2000, 4000, 5000, 5000,
    ]);
    expect(backoffDelay(1, 250, 10_000, high)).toBeCloseTo(250, 6);
    expect(backoffDelay(100, 250, 10_000, high)).toBeCloseTo(10_000, 6);
    expect(backoffDelay(0, 250, 10_000, low)).toBe(125);
  });
});
