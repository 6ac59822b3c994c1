import type { CellType } from './import-columns';

/** A cell as a source hands it over: text from a CSV; text, number, boolean or date from an XLSX. */
export type CellValue = string | number | boolean | Date | null;

const DAY = /^(\d{4})[-.](\d{2})[-.](\d{2})\.?$/;
const NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;
const TRUE = new Set(['taip', 'true', 'yes', '1', 't']);
const FALSE = new Set(['ne', 'false', 'no', '0', 'f']);

/**
 * A cell turned into what the API's body would carry for it, following Lithuanian conventions
 * (decimal comma, `2024.03.14`). A value it cannot read is handed on as text, so the API's own
 * validation refuses it with its own rule; undefined: an empty cell (the field is left out).
 */
export function cellToValue(type: CellType, cell: CellValue): unknown {
  if (cell === null) return undefined;
  if (typeof cell === 'string') {
    const text = cell.trim();
    return text === '' ? undefined : fromText(type, text);
  }
  if (cell instanceof Date) return type === 'date' ? dayOf(cell) : type === 'time' ? clockOf(cell) : cell.toISOString();
  if (typeof cell === 'boolean') return type === 'boolean' ? cell : String(cell);
  return fromNumber(type, cell);
}

function fromText(type: CellType, text: string): unknown {
  switch (type) {
    case 'date': {
      const m = DAY.exec(text);
      return m ? `${m[1]}-${m[2]}-${m[3]}` : text;
    }
    case 'integer': {
      const t = text.replace(/[\s\u00a0]/g, '');
      return NUMBER.test(t) ? Number(t.replace(',', '.')) : text;
    }
    case 'money':
      return moneyText(text);
    case 'boolean': {
      const t = text.toLowerCase();
      return TRUE.has(t) ? true : FALSE.has(t) ? false : text;
    }
    default:
      return text;
  }
}

function fromNumber(type: CellType, n: number): unknown {
  switch (type) {
    case 'integer':
      return n;
    case 'money':
      return moneyOfNumber(n);
    case 'personal-code':
      // 11 digits fit a double exactly; a spreadsheet that typed the code as a number loses nothing.
      return Number.isInteger(n) ? n.toFixed(0) : String(n);
    case 'boolean':
      return n === 1 ? true : n === 0 ? false : String(n);
    case 'time':
      return n >= 0 && n < 1 ? clockOfMinutes(Math.round(n * 1440)) : String(n);
    default:
      return String(n);
  }
}

/**
 * Money as the API's decimal string with two places: `1 234,5` → `1234.50`. Thousands grouping by
 * spaces, or by the other separator when both occur (the last one is the decimal one). Digits are
 * moved, never computed, so no float is involved.
 */
export function moneyText(text: string): string {
  let t = text.replace(/[\s\u00a0]/g, '').replace(/(€|eur)$/i, '');
  const lastComma = t.lastIndexOf(',');
  const lastPoint = t.lastIndexOf('.');
  const decimal = lastComma > lastPoint ? ',' : '.';
  const grouping = decimal === ',' ? '.' : ',';
  if (lastComma >= 0 && lastPoint >= 0) t = t.split(grouping).join('');
  t = t.replace(decimal, '.');
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return text;
  return `${m[1]}.${(m[2] ?? '').padEnd(2, '0')}`;
}

/** A number cell holding euros: exact to the cent or handed on as text for the API to refuse. */
function moneyOfNumber(n: number): string {
  const cents = Math.round(n * 100);
  if (!Number.isSafeInteger(cents) || cents < 0 || Math.abs(cents - n * 100) > 1e-6) return String(n);
  const whole = Math.floor(cents / 100);
  return `${whole}.${String(cents % 100).padStart(2, '0')}`;
}

/** An Excel date cell: exceljs reads it as midnight UTC of the day typed. */
function dayOf(d: Date): string {
  return Number.isNaN(d.getTime()) ? String(d) : d.toISOString().slice(0, 10);
}

/** An Excel time cell: exceljs reads it as that time of 1899-12-30 UTC; the API wants `HH:MM`. */
function clockOf(d: Date): string {
  return Number.isNaN(d.getTime()) ? String(d) : clockOfMinutes(d.getUTCHours() * 60 + d.getUTCMinutes());
}

function clockOfMinutes(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
