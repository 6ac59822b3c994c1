import { centsToMoney } from './partner-api';
import type { KindSpec } from './record-kinds';

export type FormValues = Readonly<Record<string, string>>;

/**
 * What a person types as money ("1 234,5", "1234") as the API's decimal string ("1234.50"),
 * by string rules only: an amount never passes through a float. Anything else goes as typed, for
 * the API to name the rule it breaks.
 */
export function moneyText(typed: string): string {
  const s = typed.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (/^\d+$/.test(s)) return `${s}.00`;
  if (/^\d+\.\d$/.test(s)) return `${s}0`;
  return s;
}

function setPath(into: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = into;
  for (const k of keys.slice(0, -1)) {
    const next = (at[k] ??= {}) as Record<string, unknown>;
    at = next;
  }
  at[keys[keys.length - 1]!] = value;
}

/** The request body of a form: empty fields left out (the API names a required one), whole numbers as numbers. */
export function bodyOf(spec: Pick<KindSpec, 'fields' | 'fixed'>, values: FormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const raw = (values[f.name] ?? '').trim();
    if (raw === '') continue;
    if (f.type === 'int') setPath(body, f.name, /^\d{1,9}$/.test(raw) ? Number(raw) : raw);
    else if (f.type === 'money') setPath(body, f.name, moneyText(raw));
    else if (f.type === 'personal-code') setPath(body, f.name, raw.replace(/\s/g, ''));
    else setPath(body, f.name, raw);
  }
  for (const [k, v] of Object.entries(spec.fixed ?? {})) setPath(body, k, v);
  return body;
}

/**
 * A record's current values as the form's strings, for a correction. The recipient is left out: a
 * personal code is never shown back (the ledger keeps only its pseudonym), so it is typed again.
 */
export function valuesOf(spec: KindSpec, fields: Readonly<Record<string, unknown>>): FormValues {
  const values: Record<string, string> = {};
  for (const f of spec.fields) {
    if (f.type === 'personal-code' || f.name.startsWith('recipient.')) continue;
    const v = fields[f.name] ?? fields[`${f.name}Cents`];
    if (typeof v === 'string') values[f.name] = v;
    else if (typeof v === 'number') values[f.name] = f.type === 'money' ? centsToMoney(v) : String(v);
  }
  return values;
}
