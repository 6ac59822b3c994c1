import { largestRemainderOf } from './largest-remainder';
/**
 * Money is integer euro cents inside the ledger and a decimal string with two places at the edges
 * ("1234.56"). Floats never carry money.
 */
export type Cents = number;
/**
 * A sum of amounts. One amount is bounded (by MAX_CENTS and by the project's envelope), a sum is
 * not: ten large declarations pass 2^53 cents, where a JavaScript number stops being exact.
 */
export type CentsSum = bigint;

const DECIMAL = /^(0|[1-9]\d{0,12})\.(\d{2})$/;
/** Largest amount accepted: EUR 9,999,999,999,999.99 stays far inside Number.MAX_SAFE_INTEGER cents. */
export const MAX_CENTS: Cents = 999_999_999_999_999;

export function parseMoney(text: unknown): Cents | null {
  if (typeof text !== 'string') return null;
  const m = DECIMAL.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number(m[2]);
}

/** One amount or a sum of any size, as "1234.56" (one parameter: it is passed to `map`). */
export function formatMoney(cents: Cents | CentsSum): string {
  if (typeof cents === 'number' && !Number.isSafeInteger(cents))
    throw new RangeError(`not a whole number of cents: ${cents}`);
  const c = BigInt(cents);
  const abs = c < 0n ? -c : c;
  const frac = abs % 100n;
  return `${c < 0n ? '-' : ''}${abs / 100n}.${frac < 10n ? '0' : ''}${frac}`;
}

export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_CENTS;
}

/** Adds amounts or sums exactly, whatever their number. */
export function sumCents(values: Iterable<Cents | CentsSum>): CentsSum {
  let sum = 0n;
  for (const v of values) sum += BigInt(v);
  return sum;
}

/** Splits an amount by basis-point rates so that the parts sum exactly to the whole (largest remainder). */
export function allocateByRates(total: CentsSum, ratesBp: readonly number[]): CentsSum[] {
  const sum = ratesBp.reduce((a, b) => a + b, 0);
  if (sum !== 10_000) throw new RangeError(`rates must sum to 10000 basis points, got ${sum}`);
  return largestRemainderOf(total, ratesBp);
}
