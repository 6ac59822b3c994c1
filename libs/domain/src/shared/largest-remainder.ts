/**
 * Splits a whole number into integer parts proportional to non-negative integer weights, so that
 * the parts sum to the whole exactly: each part is the floor of its exact share, and what is left
 * goes one by one to the largest remainders (ties to the earlier part). Exact for any safe
 * integers: the products are BigInt. All-zero weights give all-zero parts.
 */
export function largestRemainder(whole: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(whole)) throw new RangeError(`whole must be a safe integer, got ${whole}`);
  return largestRemainderOf(BigInt(whole), weights).map(Number);
}

/** largestRemainder for a whole of any size (a sum of money can pass 2^53). */
export function largestRemainderOf(whole: bigint, weights: readonly number[]): bigint[] {
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0))
    throw new RangeError('weights must be non-negative safe integers');
  const sum = weights.reduce((a, w) => a + BigInt(w), 0n);
  if (sum === 0n) return weights.map(() => 0n);
  const parts = weights.map((weight, i) => {
    const product = whole * BigInt(weight);
    // Floor division (BigInt division truncates toward zero); the remainder is then in [0, sum).
    let floor = product / sum;
    if (product % sum !== 0n && product < 0n) floor -= 1n;
    return { i, floor, rest: product - floor * sum };
  });
  let left = whole - parts.reduce((a, p) => a + p.floor, 0n);
  for (const p of [...parts].sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : a.i - b.i))) {
    if (left === 0n) break;
    p.floor += 1n;
    left -= 1n;
  }
  return parts.map((p) => p.floor);
}
