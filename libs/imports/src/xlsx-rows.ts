import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stream, type CellValue as ExcelValue } from 'exceljs';
import type { CellValue } from './cell-values';
import { isImportKind, type ImportKind } from './import-columns';
import { readHeader, rowOf, type HeaderMap, type SourceRow } from './source-row';

export interface XlsxSurvey {
  readonly sha256: string;
  /** Data rows (after each kind sheet's header). */
  readonly rows: number;
}

/** One streaming read of the workbook for its size (progress) and one of the bytes for their hash. */
export async function surveyXlsx(file: string): Promise<XlsxSurvey> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) hash.update(chunk);
  let rows = 0;
  const reader = new stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'ignore',
    styles: 'ignore',
    hyperlinks: 'ignore',
  });
  for await (const sheet of reader) {
    if (!isImportKind(sheetName(sheet))) continue;
    for await (const row of sheet) if (row.number > 1 && row.hasValues) rows++;
  }
  return { sha256: hash.digest('hex'), rows };
}

function sheetName(sheet: unknown): string {
  const name = (sheet as { name?: unknown }).name;
  return typeof name === 'string' ? name.trim() : '';
}

/**
 * The rows of every sheet named after a record kind, streamed sheet by sheet, row by row (exceljs's
 * WorkbookReader keeps the shared strings, not the sheets). Other sheets are passed over.
 */
export async function* xlsxRows(
  file: string,
  onSheet: (sheet: string, header: HeaderMap | null) => void = () => undefined,
): AsyncGenerator<SourceRow> {
  const reader = new stream.xlsx.WorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
  });
  for await (const sheet of reader) {
    const name = sheetName(sheet);
    const kind: ImportKind | null = isImportKind(name) ? name : null;
    if (kind === null) {
      onSheet(name, null);
      continue;
    }
    let header: HeaderMap | null = null;
    for await (const row of sheet) {
      const values = cellsOf(row.values);
      if (header === null) {
        header = readHeader(kind, values);
        onSheet(name, header);
        continue;
      }
      const r = rowOf(header, values, { row: row.number, sheet: name, kind });
      if (r) yield r;
    }
  }
}

/** exceljs's row values are 1-based with a hole at 0; rich text, formulas and links become their text. */
function cellsOf(values: unknown): CellValue[] {
  if (!Array.isArray(values)) return [];
  const out: CellValue[] = [];
  for (let i = 1; i < values.length; i++) out.push(plain(values[i] as ExcelValue | undefined));
  return out;
}

function plain(v: ExcelValue | undefined): CellValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('result' in v) return v.result === undefined ? null : plain(v.result as ExcelValue);
  if ('text' in v) return typeof v.text === 'string' ? v.text : null;
  if ('error' in v) return String(v.error);
  return null;
}
