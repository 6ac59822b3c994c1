// The CSV a crash-import round uploads, and what its import must come to: seeded, so a failing round
// can be run again alone.
import { writeFileSync } from 'node:fs';
import { lithuanianCode } from './ledger-test-app';

/** Persons the rows are for; each one's first row (always valid) carries their profile. */
const PERSONS = 150;
const BAD_RULES = { duration: 'min', date: 'iso-date', group: 'isIn' } as const;

export interface ImportFileExpectation {
  readonly rows: number;
  /** The record ids the file gives on its valid rows (a duplicate line gives one twice). */
  readonly ids: ReadonlySet<string>;
  /** The ids of refused rows: none of them may be in the log. */
  readonly refusedIds: ReadonlySet<string>;
  /** Valid rows without a record id (distinct content: each its own derived record). */
  readonly derived: number;
  /** Valid lines repeating an earlier one exactly: already present. */
  readonly duplicates: number;
  readonly persons: number;
  /** The record id each data row gives ('' for none), in file order. */
  readonly idByRow: readonly string[];
  /** The refused rows, by their line number in the file and the rule each breaks. */
  readonly errors: readonly { readonly row: number; readonly rule: string }[];
}

function uuidOf(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A man or woman born in the 1940s, one per person index. */
const personCode = (p: number) =>
  lithuanianCode(
    `${3 + (p % 2)}4${p % 10}0${1 + (p % 9)}${String(10 + (p % 18)).padStart(2, '0')}${String(p).padStart(3, '0')}`,
  );

/**
 * `rows` service-delivered rows (a semicolon CSV with Lithuanian headers): most with a record id, a
 * tenth without (their ids derived from their content), about 1 % repeating the line before, about
 * 3 % refused, each breaking one rule.
 */
export function writeImportCsv(file: string, rows: number, random: () => number): ImportFileExpectation {
  const lines = ['Įrašo ID;Data;Paslauga;Tikslinė grupė;Vieta;Trukmė (min.);Asmens kodas;Lytis;Negalia'];
  const ids = new Set<string>();
  const refusedIds = new Set<string>();
  const errors: { row: number; rule: string }[] = [];
  let derived = 0;
  let duplicates = 0;
  let lastValid: string | null = null;
  const idByRow: string[] = [];
  for (let i = 0; i < rows; i++) {
    const p = i % PERSONS;
    const fresh = i < PERSONS;
    if (!fresh && lastValid !== null && random() < 0.01) {
      lines.push(lastValid);
      idByRow.push(lastValid.split(';')[0]!);
      duplicates++;
      continue;
    }
    const bad = fresh || random() >= 0.03 ? null : (['duration', 'date', 'group'] as const)[Math.floor(random() * 3)]!;
    const id = fresh || bad || random() >= 0.1 ? uuidOf(random) : '';
    const date = bad === 'date' ? '2024.02.30' : `2024-0${1 + (i % 5)}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const group = bad === 'group' ? 'everyone' : 'elderly';
    const minutes = bad === 'duration' ? 0 : 30 + (i % 90);
    const profile = fresh ? [p % 2 === 0 ? 'male' : 'female', random() < 0.5 ? 'true' : 'false'] : ['', ''];
    const line = [id, date, 'nursing', group, 'home', minutes, personCode(p), ...profile].join(';');
    lines.push(line);
    idByRow.push(id);
    if (bad) {
      errors.push({ row: lines.length, rule: BAD_RULES[bad] });
      refusedIds.add(id);
      continue;
    }
    if (id === '') derived++;
    else ids.add(id);
    lastValid = line;
  }
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return { rows, ids, refusedIds, derived, duplicates, persons: PERSONS, idByRow, errors };
}
