import type { CellValue } from './cell-values';
import { columnOf, isImportKind, type ImportKind } from './import-columns';

/** One data row of an import file: its kind (from the sheet, a `kind` cell or the request) and its cells by field. */
export interface SourceRow {
  /** 1-based, as a spreadsheet numbers it (the header is row 1). */
  readonly row: number;
  readonly sheet: string;
  readonly kind: ImportKind | null;
  /** The `kind` cell when the kind comes from one and names none: the row error shows it. */
  readonly kindText?: string;
  readonly cells: ReadonlyMap<string, CellValue>;
}

/** How a sheet's (or CSV's) header row is read: field per column, and the columns the import ignores. */
export interface HeaderMap {
  readonly fields: readonly (string | null)[];
  readonly ignored: readonly string[];
}

export function readHeader(kind: ImportKind | null, headers: readonly CellValue[]): HeaderMap {
  const ignored: string[] = [];
  const fields = headers.map((h) => {
    const text = h === null ? '' : String(h).trim();
    if (text === '') return null;
    const c = columnOf(kind, text);
    if (!c) ignored.push(text);
    return c?.field ?? null;
  });
  return { fields, ignored };
}

/** A row's cells by field; null when every cell is empty (a blank line is skipped, not an error). */
export function rowOf(
  header: HeaderMap,
  values: readonly CellValue[],
  at: { row: number; sheet: string; kind: ImportKind | null },
): SourceRow | null {
  const cells = new Map<string, CellValue>();
  let any = false;
  header.fields.forEach((field, i) => {
    const v = values[i] ?? null;
    if (v !== null && !(typeof v === 'string' && v.trim() === '')) any = true;
    if (field !== null) cells.set(field, v);
  });
  if (!any) return null;
  if (at.kind !== null) return { ...at, cells };
  const named = cells.get('kind');
  const text = named === null || named === undefined ? '' : String(named).trim();
  return isImportKind(text) ? { ...at, kind: text, cells } : { ...at, kind: null, kindText: text, cells };
}
