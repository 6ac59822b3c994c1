import { largestRemainder } from './largest-remainder';
/**
 * Money is integer euro cents inside the ledger and a decimal string with two places at the edges
 * ("1234.56"). Floats never carry money.
 */
export type Cents = number;

const DECIMAL = /^(0|[1-9]\d{0,12})\.(\d{2})$/;
/** Largest amount accepted: EUR 9,999,999,999,999.99 stays far inside Number.MAX_SAFE_INTEGER cents. */
export const MAX_CENTS: Cents = 999_999_999_999_999;

export function parseMoney(text: unknown): Cents | null {
  if (typeof text !== 'string') return null;
  const m = DECIMAL.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number(m[2]);
}

export function formatMoney(cents: Cents): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  return `${sign}${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_CENTS;
}

/** Splits an amount by basis-point rates so that the parts sum exactly to the whole (largest remainder). */
export function allocateByRates(total: Cents, ratesBp: readonly number[]): Cents[] {
  const sum = ratesBp.reduce((a, b) => a + b, 0);
  if (sum !== 10_000) throw new RangeError(`rates must sum to 10000 basis points, got ${sum}`);
  return largestRemainder(total, ratesBp);
}
