import { formatMoney } from '@ihl/domain';

/**
 * Cents become decimal strings at the edge: every *Cents field, an amount (number) or a sum
 * (BigInt, exact past 2^53), is answered as "1234.56".
 */
export function asMoney(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asMoney);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) =>
        k.endsWith('Cents') && (typeof v === 'number' || typeof v === 'bigint')
          ? [k.slice(0, -5), formatMoney(v)]
          : [k, asMoney(v)],
      ),
    );
  }
  return value;
}
