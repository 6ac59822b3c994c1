/** Numbers, money, shares and days in the locale's way: lt-LT `1 234 567,89 €`, days `2026-12-06`. */
export type Locale = 'lt' | 'en';

const TAGS: Record<Locale, string> = { lt: 'lt-LT', en: 'en-GB' };

/**
 * One formatter per locale and kind, made on first use and kept: building an Intl formatter costs
 * far more than using one, and the overview formats hundreds of figures (its table, the chart's
 * axis) before its chart is drawn.
 */
function kept<F>(make: (tag: string) => F): (locale: Locale) => F {
  const made = new Map<Locale, F>();
  return (locale) => {
    let f = made.get(locale);
    if (!f) made.set(locale, (f = make(TAGS[locale])));
    return f;
  };
}

const wholeNumbers = kept((tag) => new Intl.NumberFormat(tag, { maximumFractionDigits: 0 }));
const groupedIntegers = kept((tag) => new Intl.NumberFormat(tag, { useGrouping: true }));
const percents = kept((tag) => new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 }));
const months = kept((tag) => new Intl.DateTimeFormat(tag, { year: 'numeric', month: 'short', timeZone: 'UTC' }));

export function formatNumber(locale: Locale, n: number): string {
  return wholeNumbers(locale).format(n);
}

/** A decimal money string from the API ("1234567.89"), never through a float that could lose cents. */
export function formatMoney(locale: Locale, amount: string): string {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) return amount;
  const whole = groupedIntegers(locale).format(BigInt(m[2]!));
  const cents = (m[3] ?? '').padEnd(2, '0');
  const sep = locale === 'lt' ? ',' : '.';
  return locale === 'lt' ? `${m[1]}${whole}${sep}${cents} €` : `${m[1]}€${whole}${sep}${cents}`;
}

export function formatShare(locale: Locale, share: number): string {
  return percents(locale).format(share);
}

/** ISO days are the same in both languages (the Lithuanian standard form, unambiguous in English). */
export function formatDay(day: string | null | undefined): string {
  return day ? day.slice(0, 10) : '—';
}

/** "2024-03" → "2024 kov." / "Mar 2024". */
export function formatMonth(locale: Locale, month: string): string {
  const [y, m] = month.split('-').map(Number);
  return months(locale).format(new Date(Date.UTC(y!, m! - 1, 1)));
}
