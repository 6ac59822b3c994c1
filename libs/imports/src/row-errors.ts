import { createReadStream, createWriteStream } from 'node:fs';
import { open, truncate, type FileHandle } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { stream } from 'exceljs';
import { containsPersonalCode, redactPersonalCodes } from '@ihl/privacy';

/** One refused cell (or row): where, what, which rule, and why. */
export interface RowError {
  readonly sheet: string;
  readonly row: number;
  readonly column: string;
  readonly value: unknown;
  readonly rule: string;
  readonly message: string;
}

export const ROW_ERROR_HEADER = ['sheet', 'row', 'column', 'value', 'rule', 'message'] as const;

/** A personal code never reaches the error file: the last two digits say which one it was. */
export function maskedValue(column: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/personalCode|asmens kodas|personal code/i.test(column)) return text === '' ? '' : `***${text.slice(-2)}`;
  return containsPersonalCode(text) ? redactPersonalCodes(text) : text;
}

/**
 * The row-error CSV, written as the import goes (so memory holds none of it) and cut back to a
 * checkpoint's length when a stopped import resumes.
 */
export class RowErrorFile {
  private constructor(
    private readonly handle: FileHandle,
    private bytes: number,
  ) {}

  static async open(file: string, resumeAt: number | null): Promise<RowErrorFile> {
    if (resumeAt !== null) {
      await truncate(file, resumeAt).catch(() => undefined);
      const handle = await open(file, 'a', 0o600);
      const { size } = await handle.stat();
      if (size === resumeAt) return new RowErrorFile(handle, size);
      await handle.close();
    }
    const handle = await open(file, 'w', 0o600);
    const out = new RowErrorFile(handle, 0);
    await out.write([...ROW_ERROR_HEADER]);
    return out;
  }

  get length(): number {
    return this.bytes;
  }

  async add(e: RowError): Promise<void> {
    await this.write([
      e.sheet,
      String(e.row),
      e.column,
      maskedValue(e.column, e.value),
      e.rule,
      redactPersonalCodes(e.message),
    ]);
  }

  async close(): Promise<void> {
    await this.handle.sync();
    await this.handle.close();
  }

  private async write(cells: string[]): Promise<void> {
    const line = Buffer.from(stringify([cells]), 'utf8');
    await this.handle.write(line);
    this.bytes += line.length;
  }
}

/** The same errors as an XLSX sheet, streamed from the CSV (a large error file is never held whole). */
export async function rowErrorsXlsx(csvFile: string, xlsxFile: string): Promise<void> {
  const book = new stream.xlsx.WorkbookWriter({
    stream: createWriteStream(xlsxFile, { mode: 0o600 }),
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = book.addWorksheet('Klaidos');
  sheet.columns = [
    { header: 'Lapas / Sheet', width: 24 },
    { header: 'Eilutė / Row', width: 10 },
    { header: 'Stulpelis / Column', width: 30 },
    { header: 'Reikšmė / Value', width: 24 },
    { header: 'Taisyklė / Rule', width: 20 },
    { header: 'Pranešimas / Message', width: 80 },
  ];
  let first = true;
  for await (const cells of createReadStream(csvFile).pipe(parse()) as AsyncIterable<string[]>) {
    if (first) {
      first = false;
      continue;
    }
    const [s, row, ...rest] = cells;
    sheet.addRow([s, Number(row), ...rest]).commit();
  }
  sheet.commit();
  await book.commit();
}
