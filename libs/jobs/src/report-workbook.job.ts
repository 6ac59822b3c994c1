import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Workbook } from 'exceljs';
import type { JobHandler, ReportWorkbookPayload } from './job-registry';
import { ledgerStampAt, stampWorkbook, type CheckpointLookup } from './ledger-stamp/ledger-stamp';
import { readReportViews, unrecoverable, type ReportQueries, type ReportViews } from './report-views';
import {
  addFieldSheet,
  addSheet,
  budgetSheet,
  esfSheet,
  progressSheet,
  registerSheet,
  volumesSheet,
  type ReportSheet,
} from './report-workbook.sheets';

export type { ReportQueries } from './report-views';

export const REPORTS_DIR = 'reports';
/** A report job's file under DATA_DIR/reports: `<job id>.xlsx` or `.pdf`. */
export const reportFile = (dataDir: string, jobId: string, extension: 'xlsx' | 'pdf' = 'xlsx') =>
  join(dataDir, REPORTS_DIR, `${jobId}.${extension}`);

/** Writes a report file aside and renames it (0600): a reader never sees half a file. */
export async function writeReportFile(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  await writeFile(`${file}.part`, bytes, { mode: 0o600 });
  await rename(`${file}.part`, file);
}

/**
 * Builds the XLSX report with the same queries as the synchronous exports, all at one ledger
 * position, and writes DATA_DIR/reports/<job id>.xlsx (0600). Redoing it rewrites the same cells.
 */
export function reportWorkbookJob(deps: {
  readonly queries: ReportQueries;
  readonly dataDir: string;
  readonly now?: () => Date;
  /** The store's signed checkpoints: the workbook carries the one it was built on. */
  readonly checkpoints?: CheckpointLookup;
}): JobHandler<'report-workbook'> {
  return async (payload, context) => {
    const views = await readReportViews(deps.queries, payload, {
      register: true,
      progress: (done) => context.progress({ done, total: 6 }),
    }).catch(unrecoverable);
    const book = new Workbook();
    const generatedAt = (deps.now ?? (() => new Date()))();
    book.created = generatedAt;
    book.modified = generatedAt;
    addInfoSheet(book, payload, views.position, generatedAt);
    for (const s of reportSheets(views)) addSheet(book, s);
    stampWorkbook(book, await ledgerStampAt(deps.checkpoints, views.position));
    const file = reportFile(deps.dataDir, context.id);
    await writeReportFile(file, Buffer.from(await book.xlsx.writeBuffer()));
    await context.progress({ done: 6, total: 6 });
    return { file: `${context.id}.xlsx`, position: views.position, sheets: book.worksheets.map((w) => w.name) };
  };
}

/** One sheet per view; a partner's budget and register are its own lines and expenditures. */
function reportSheets(v: ReportViews): ReportSheet[] {
  return [
    progressSheet(v.progress),
    volumesSheet(v.volumes),
    budgetSheet(v.budget),
    esfSheet(v.esf),
    registerSheet(v.register ?? []),
  ];
}

function addInfoSheet(book: Workbook, p: ReportWorkbookPayload, position: number, generatedAt: Date): void {
  const ws = addFieldSheet(book, 'Informacija', 30, [
    ['Projektas / Project', p.projectCode],
    ['Registro pozicija / Ledger position', position],
    ['Būklė / As of', p.asOf ?? `position ${position}`],
    ['Partneris / Partner', p.partnerId ?? 'visi / all'],
    ['Sugeneruota / Generated at', generatedAt],
  ]);
  ws.getCell('B6').numFmt = 'yyyy-mm-dd hh:mm:ss';
}
