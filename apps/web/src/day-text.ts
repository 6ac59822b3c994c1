/**
 * A day as people here type it: `yyyy-mm-dd` (the Lithuanian standard form, LST ISO 8601) or
 * `yyyy.mm.dd`, a month or day of one digit too; answered as `yyyy-mm-dd`, or null when the text is
 * no such day (31 April, month 13, another order). The browser's own date control is not used: it
 * follows the browser's locale (mm/dd/yyyy in an English-US chromium), not the page's.
 */
export function parseDay(text: string): string | null {
  const m = /^\s*(\d{4})([-.])(\d{1,2})\2(\d{1,2})\.?\s*$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[3]), Number(m[4])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${m[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
