/**
 * Money as the API writes it ("1234.56"), added up as integer cents in BigInt: a float would lose
 * cents on large sums, and the totals shown must equal the API's to the cent.
 */
const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

export function toCents(amount: string): bigint {
  const m = MONEY.exec(amount.trim());
  if (!m) throw new Error(`not a money amount: ${amount}`);
  const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function sumMoney(amounts: readonly string[]): string {
  return fromCents(amounts.reduce((sum, a) => sum + toCents(a), 0n));
}

/**
 * What a person typed as an amount: digits with a comma or a point and at most two decimals, spaces
 * between thousands allowed ("1 234,5"). Null when it is not one.
 */
export function parseTypedMoney(typed: string): string | null {
  const plain = typed.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(plain)) return null;
  return fromCents(toCents(plain));
}

/** For drawing only (a chart's axis): euros as a number. Figures shown as text stay exact strings. */
export function euros(amount: string): number {
  return Number(toCents(amount)) / 100;
}
