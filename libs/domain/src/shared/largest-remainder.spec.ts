import fc from 'fast-check';
import { largestRemainder } from './largest-remainder';

/** The textbook method in exact rationals, written independently: floors, then remainders. */
function reference(whole: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  if (sum === 0) return weights.map(() => 0);
  const shares = weights.map((w, i) => {
    const num = BigInt(whole) * BigInt(w);
    const d = BigInt(sum);
    const q = num / d - (num % d !== 0n && num < 0n ? 1n : 0n);
    return { i, q, r: num - q * d };
  });
  const byRemainder = [...shares].sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  let left = BigInt(whole) - shares.reduce((a, s) => a + s.q, 0n);
  const out = shares.map((s) => s.q);
  for (let k = 0; left > 0n; k++, left--) out[byRemainder[k]!.i]! += 1n;
  return out.map(Number);
}

describe('largestRemainder', () => {
  it('parts sum to the whole, each within one of its exact share, as the reference method', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000_000, max: 4_394_021_200_000 }),
        fc.array(fc.integer({ min: 0, max: 5_000_000_000 }), { minLength: 1, maxLength: 8 }),
        (whole, weights) => {
          const parts = largestRemainder(whole, weights);
          expect(parts).toEqual(reference(whole, weights));
          const sum = weights.reduce((a, w) => a + w, 0);
          if (sum === 0) return expect(parts.every((p) => p === 0)).toBe(true);
          expect(parts.reduce((a, p) => a + p, 0)).toBe(whole);
          parts.forEach((p, i) => expect(Math.abs(p - (whole * weights[i]!) / sum)).toBeLessThan(1 + 1e-6));
          // The defining property itself: each part is its floor or one more, and every part that got
          // one more has a remainder at least as large as any that did not (ties: the earlier one).
          const total = BigInt(sum);
          const at = weights.map((w, i) => {
            const num = BigInt(whole) * BigInt(w);
            const floor = num / total - (num % total !== 0n && num < 0n ? 1n : 0n);
            return { i, bumped: BigInt(parts[i]!) - floor, rest: num - floor * total };
          });
          expect(at.every((x) => x.bumped === 0n || x.bumped === 1n)).toBe(true);
          for (const up of at.filter((x) => x.bumped === 1n))
            for (const down of at.filter((x) => x.bumped === 0n))
              expect(up.rest > down.rest || (up.rest === down.rest && up.i < down.i)).toBe(true);
        },
      ),
    );
  });

  it('gives ties to the earlier part, and is exact beyond float precision', () => {
    expect(largestRemainder(1, [1, 1, 1])).toEqual([1, 0, 0]);
    expect(largestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(largestRemainder(101, [8500, 1500])).toEqual([86, 15]);
    expect(largestRemainder(-101, [8500, 1500])).toEqual([-86, -15]);
    // 9,007,199,254,740,991 × 3 / 10: a float product would round; the parts still sum exactly.
    const parts = largestRemainder(Number.MAX_SAFE_INTEGER, [3, 7]);
    expect(BigInt(parts[0]!) + BigInt(parts[1]!)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(parts).toEqual([2702159776422297, 6305039478318694]);
    expect(largestRemainder(5, [0, 0])).toEqual([0, 0]);
    expect(() => largestRemainder(5, [-1, 2])).toThrow(RangeError);
  });
});
