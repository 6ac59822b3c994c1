import { Workbook } from 'exceljs';
import type { Response } from 'express';
import type { ExpenditureRegisterView, ListedRecord } from '@ihl/application';
import { formatMoney } from '@ihl/domain';
import { addSheet, type ReportCell, type ReportSheet } from '@ihl/jobs';
import { sendCsv, type CsvDialect } from '../http/csv-export';
import { sendWorkbook } from '../exports/export-stamp';
import type { RecordsEvidence } from '@ihl/application';
import { evidenceCell } from '../evidence/with-evidence';

const money = (cents: number | null): string => (cents === null ? '' : formatMoney(cents));
const cents = (c: number | null): ReportCell => (c === null ? null : { cents: c });

/** A list's columns: CSV name, sheet header (Lithuanian / English), width, and the cell of a record. */
const LIST_COLUMNS: readonly (readonly [string, string, number, (r: ListedRecord) => ReportCell])[] = [
  ['id', 'Įrašas / Record', 38, (r) => r.id],
  ['kind', 'Rūšis / Kind', 22, (r) => r.kind],
  ['partner', 'Partneris / Partner', 20, (r) => r.partnerId],
  ['occurred_on', 'Data / Date', 12, (r) => ({ day: r.occurredOn })],
  ['recorded_at', 'Užregistruota / Recorded', 24, (r) => r.recordedAt],
  ['position', 'Pozicija / Position', 10, (r) => r.position],
  ['state', 'Būsena / State', 10, (r) => r.state],
  ['service', 'Paslauga / Service', 16, (r) => r.service],
  ['setting', 'Vieta / Setting', 14, (r) => r.setting],
  ['target_group', 'Tikslinė grupė / Target group', 16, (r) => r.targetGroup],
  ['worker_ref', 'Darbuotojas / Worker', 14, (r) => r.workerRef],
  ['minutes', 'Minutės / Minutes', 10, (r) => r.minutes],
  ['people', 'Asmenys / People', 10, (r) => r.people],
  ['quantity', 'Kiekis / Quantity', 10, (r) => r.quantity],
  ['category', 'Kategorija / Category', 16, (r) => r.categoryId],
  ['document_ref', 'Dokumentas / Document', 18, (r) => r.documentRef],
  ['amount', 'Suma / Amount', 14, (r) => cents(r.amountCents)],
  ['eligible', 'Tinkama / Eligible', 14, (r) => cents(r.eligibleCents)],
  ['ineligible', 'Netinkama / Ineligible', 14, (r) => cents(r.ineligibleCents)],
  ['verdict_note', 'Sprendimas / Verdict', 30, (r) => r.verdictNote],
  ['reported_in', 'Pavėluotai, ataskaitoje už / Late, reported in', 14, (r) => r.reportedIn ?? null],
];

/** A cell as the CSV writes it: money as a decimal string, a day as YYYY-MM-DD, nothing as ''. */
function csvCell(c: ReportCell): string | number | boolean {
  if (c === null) return '';
  if (typeof c !== 'object') return c;
  return 'cents' in c ? money(Number(c.cents)) : c.day;
}

export async function sendRecordList(
  res: Response,
  name: string,
  records: readonly ListedRecord[],
  format: 'csv' | 'xlsx',
  dialect: CsvDialect,
  position: number,
): Promise<void> {
  const rows = records.map((r) => LIST_COLUMNS.map(([, , , cell]) => cell(r)));
  if (format === 'csv')
    return sendCsv(
      res,
      name,
      LIST_COLUMNS.map(([csv]) => csv),
      rows.map((r) => r.map(csvCell)),
      dialect,
      position,
    );
  const sheet = {
    name: 'Įrašai',
    header: LIST_COLUMNS.map(([, header]) => header),
    widths: LIST_COLUMNS.map(([, , width]) => width),
    rows,
  };
  return sendXlsx(res, name, sheet, position);
}

const REGISTER_COLUMNS: readonly (readonly [string, string, number])[] = [
  ['row', 'Eilutė / Row', 12],
  ['id', 'Išlaidos / Expenditure', 38],
  ['partner', 'Partneris / Partner', 20],
  ['category', 'Kategorija / Category', 16],
  ['document_ref', 'Dokumentas / Document', 18],
  ['document_date', 'Dokumento data / Document date', 14],
  ['state', 'Būsena / State', 10],
  ['declared', 'Deklaruota / Declared', 14],
  ['eligible', 'Tinkama / Eligible', 14],
  ['ineligible', 'Netinkama / Ineligible', 14],
  ['verdict_note', 'Sprendimas / Verdict', 30],
  ['reported_in', 'Pavėluotai, ataskaitoje už / Late, reported in', 14],
  ['ineligible_reason', 'Netinkamumo priežastis / Ineligibility reason', 24],
];

const EVIDENCE_COLUMN = ['evidence', 'Įrodymai / Evidence', 40] as const;

/** The register: an expenditure a row, then the totals (`row` tells them apart, so a column sum never mixes them). */
function registerRows(v: ExpenditureRegisterView, evidence: RecordsEvidence | null): ReportCell[][] {
  const rows: ReportCell[][] = v.expenditures.map((e) => [
    'expenditure',
    e.id,
    e.partnerId,
    e.categoryId,
    e.documentRef,
    { day: e.occurredOn },
    e.state,
    cents(e.amountCents),
    cents(e.eligibleCents),
    cents(e.ineligibleCents),
    e.verdictNote,
    e.reportedIn ?? null,
    e.ineligibleReason ?? null,
    ...(evidence ? [evidenceCell(evidence.get(e.id))] : []),
  ]);
  const t = v.totals;
  rows.push([
    'total',
    '',
    '',
    '',
    '',
    null,
    '',
    cents(t.declaredCents),
    cents(t.eligibleCents),
    cents(t.ineligibleCents),
    '',
    '',
    '',
    ...(evidence ? [''] : []),
  ]);
  return rows;
}

export async function sendRegister(
  res: Response,
  name: string,
  v: ExpenditureRegisterView,
  format: 'csv' | 'xlsx',
  dialect: CsvDialect,
  evidence: RecordsEvidence | null = null,
): Promise<void> {
  const rows = registerRows(v, evidence);
  // `?withEvidence=true`: one more column naming the files, never the files themselves.
  const columns = evidence ? [...REGISTER_COLUMNS, EVIDENCE_COLUMN] : REGISTER_COLUMNS;
  if (format === 'csv')
    return sendCsv(
      res,
      name,
      columns.map(([csv]) => csv),
      rows.map((r) => r.map(csvCell)),
      dialect,
      v.position,
    );
  const sheet = {
    name: 'Išlaidų žiniaraštis',
    header: columns.map(([, header]) => header),
    widths: columns.map(([, , width]) => width),
    rows,
  };
  return sendXlsx(res, name, sheet, v.position);
}

function sendXlsx(res: Response, name: string, sheet: ReportSheet, position: number): Promise<void> {
  const book = new Workbook();
  addSheet(book, sheet);
  return sendWorkbook(res, name, book, position);
}
