import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnrecoverableError } from 'bullmq';
import { Workbook } from 'exceljs';
import { DomainForbiddenError, DomainNotFoundError, DomainValidationError } from '@ihl/domain';
import {
  GetActivityVolumesQuery,
  GetBudgetQuery,
  GetEsfIndicatorsQuery,
  GetExpenditureQuery,
  GetFigureEventsQuery,
  GetProgressQuery,
  ROLES,
  parseAsOf,
  type Actor,
  type ActivityVolumesView,
  type AsOf,
  type BudgetView,
  type EsfIndicatorTable,
  type ExpenditureView,
  type FigureEventsView,
  type ProgressView,
} from '@ihl/application';
import type { JobHandler, ReportWorkbookPayload } from './job-registry';
import {
  addSheet,
  budgetSheet,
  esfSheet,
  progressSheet,
  registerSheet,
  volumesSheet,
  type ReportSheet,
} from './report-workbook.sheets';

/** The application's query bus (or anything answering its queries the same way). */
export interface ReportQueries {
  execute<T>(query: object): Promise<T>;
}

export const REPORTS_DIR = 'reports';
export const reportFile = (dataDir: string, jobId: string) => join(dataDir, REPORTS_DIR, `${jobId}.xlsx`);

const EVENTS_PAGE = 500;

/**
 * Builds the XLSX report with the same queries as the synchronous exports, all at one ledger
 * position, and writes DATA_DIR/reports/<job id>.xlsx (0600). Redoing it rewrites the same cells.
 */
export function reportWorkbookJob(deps: {
  readonly queries: ReportQueries;
  readonly dataDir: string;
  readonly now?: () => Date;
}): JobHandler<'report-workbook'> {
  return async (payload, context) => {
    const sheets = await reportSheets(deps.queries, payload, (done) => context.progress({ done, total: 6 })).catch(
      unrecoverable,
    );
    const book = new Workbook();
    const generatedAt = (deps.now ?? (() => new Date()))();
    book.created = generatedAt;
    book.modified = generatedAt;
    addInfoSheet(book, payload, sheets.position, generatedAt);
    for (const s of sheets.list) addSheet(book, s);
    const file = reportFile(deps.dataDir, context.id);
    await mkdir(join(deps.dataDir, REPORTS_DIR), { recursive: true, mode: 0o700 });
    // Written aside and renamed: a reader never sees half a file.
    await writeFile(`${file}.part`, Buffer.from(await book.xlsx.writeBuffer()), { mode: 0o600 });
    await rename(`${file}.part`, file);
    await context.progress({ done: 6, total: 6 });
    return { file: `${context.id}.xlsx`, position: sheets.position, sheets: book.worksheets.map((w) => w.name) };
  };
}

/** A refusal of the ledger's (no such project, not yours, bad point) is the same on a retry. */
function unrecoverable(e: unknown): never {
  const refused =
    e instanceof DomainValidationError || e instanceof DomainForbiddenError || e instanceof DomainNotFoundError;
  if (refused) throw new UnrecoverableError(e.message);
  throw e;
}

function actorOf(p: ReportWorkbookPayload): Actor {
  const role = ROLES.find((r) => r === p.actor.role);
  if (!role) throw new UnrecoverableError(`no role ${p.actor.role}`);
  return { subject: p.actor.subject, role, ...(p.actor.partnerId ? { partnerId: p.actor.partnerId } : {}) };
}

/** Every sheet's rows; the first query fixes the position the others are read at. */
async function reportSheets(
  queries: ReportQueries,
  p: ReportWorkbookPayload,
  progress: (done: number) => Promise<void>,
): Promise<{ position: number; list: ReportSheet[] }> {
  const actor = actorOf(p);
  const asked = p.asOf === undefined ? undefined : (parseAsOf(p.asOf) ?? undefined);
  const base = { projectCode: p.projectCode, actor };
  const partnerId = p.partnerId;
  const progressView = await queries.execute<ProgressView>(new GetProgressQuery({ ...base, asOf: asked, partnerId }));
  // A day keeps its meaning (an ESF+ period runs to it); otherwise the head the first query read.
  const asOf: AsOf = asked ?? { position: progressView.position };
  const at = { ...base, asOf };
  await progress(1);
  const volumes = await queries.execute<ActivityVolumesView>(new GetActivityVolumesQuery({ ...at, partnerId }));
  await progress(2);
  // The budget and the events behind it are the agency's and finance's (their routes refuse
  // partners): a partner's report has neither the budget nor the register.
  const agency = actor.role !== 'partner-submitter';
  const budget = agency ? await queries.execute<BudgetView>(new GetBudgetQuery({ ...at, partnerId, dates: {} })) : null;
  await progress(3);
  const esf = await queries.execute<EsfIndicatorTable>(new GetEsfIndicatorsQuery(at));
  await progress(4);
  const register = agency ? await expenditures(queries, at, partnerId) : null;
  await progress(5);
  const list = [progressSheet(progressView), volumesSheet(volumes), ...(budget ? [budgetSheet(budget)] : [])];
  list.push(esfSheet(esf), ...(register ? [registerSheet(register)] : []));
  return { position: progressView.position, list };
}

/** The expenditures behind the budget figure at the position, each read as its record stood then. */
async function expenditures(
  queries: ReportQueries,
  at: { projectCode: string; actor: Actor; asOf: AsOf },
  partnerId: string | undefined,
): Promise<ExpenditureView[]> {
  const ids = new Set<string>();
  for (let page = 1; ; page++) {
    const view = await queries.execute<FigureEventsView>(
      new GetFigureEventsQuery({
        ...at,
        figure: 'budget',
        filters: partnerId ? { partnerId } : {},
        page,
        pageSize: EVENTS_PAGE,
      }),
    );
    for (const e of view.events)
      if (e.streamId.startsWith('expenditure-')) ids.add(e.streamId.slice('expenditure-'.length));
    if (page * EVENTS_PAGE >= view.totalEvents) break;
  }
  const out: ExpenditureView[] = [];
  for (const expenditureId of ids)
    out.push(await queries.execute<ExpenditureView>(new GetExpenditureQuery({ ...at, expenditureId })));
  return out;
}

function addInfoSheet(book: Workbook, p: ReportWorkbookPayload, position: number, generatedAt: Date): void {
  const ws = book.addWorksheet('Informacija', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: 'Laukas / Field', width: 34 },
    { header: 'Reikšmė / Value', width: 30 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.addRows([
    ['Projektas / Project', p.projectCode],
    ['Registro pozicija / Ledger position', position],
    ['Būklė / As of', p.asOf ?? `position ${position}`],
    ['Partneris / Partner', p.partnerId ?? 'visi / all'],
    ['Sugeneruota / Generated at', generatedAt],
  ]);
  ws.getCell('B6').numFmt = 'yyyy-mm-dd hh:mm:ss';
}
