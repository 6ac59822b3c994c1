import { Workbook } from 'exceljs';
import type { Response } from 'express';
import type { ClaimView } from '@ihl/application';
import { formatMoney, type ClaimLineFigures } from '@ihl/domain';
import { addSheet, type ReportCell } from '@ihl/jobs';
import { sendCsv, type CsvDialect } from '../http/csv-export';
import { sendWorkbook } from '../exports/export-stamp';

const cents = (c: number | bigint | null): ReportCell => (c === null ? null : { cents: c });

/** The register of a claim's lines: CSV name, sheet header (Lithuanian / English), width, cell. */
const LINE_COLUMNS: readonly (readonly [string, string, number, (l: ClaimLineFigures) => ReportCell])[] = [
  ['expenditure_id', 'Išlaidos / Expenditure', 38, (l) => l.expenditureId],
  ['partner', 'Partneris / Partner', 20, (l) => l.partnerId],
  ['category', 'Kategorija / Category', 16, (l) => l.categoryId],
  ['occurred_on', 'Data / Date', 12, (l) => ({ day: l.occurredOn })],
  ['claimed', 'Prašoma / Claimed', 14, (l) => cents(l.eligibleCents)],
  ['outcome', 'Sprendimas / Outcome', 12, (l) => l.decision?.outcome ?? null],
  ['accepted', 'Pripažinta / Accepted', 14, (l) => cents(l.acceptedCents)],
  ['cut', 'Sumažinta / Cut', 14, (l) => cents(l.decision ? l.decision.cutCents : null)],
  ['reason_code', 'Priežastis / Reason', 22, (l) => l.decision?.reasonCode ?? null],
  ['reimbursed', 'Išmokėta / Reimbursed', 14, (l) => cents(l.reimbursedCents)],
  ['sco_option', 'Supaprastinta išlaidų galimybė / Simplified cost option', 24, (l) => l.sco?.scoId ?? null],
  ['sco_type', 'SIG rūšis / SCO type', 12, (l) => l.sco?.type ?? null],
];

/** The totals: the claim's and each partner's, with their ESF+ and national shares. */
const TOTAL_COLUMNS = [
  ['partner', 'Partneris / Partner', 20],
  ['claimed', 'Prašoma / Claimed', 16],
  ['esf_plus', 'ESF+ dalis / ESF+ share', 16],
  ['national', 'Nacionalinė dalis / National share', 16],
] as const;

function totalRows(v: ClaimView): ReportCell[][] {
  return [
    ...Object.entries(v.byPartner).map(([p, t]) => [
      p,
      cents(t.totalCents),
      cents(t.esfPlusCents),
      cents(t.nationalCents),
    ]),
    ['*', cents(v.totalCents), cents(v.shares.esfPlusCents), cents(v.shares.nationalCents)],
  ];
}

function csvCell(c: ReportCell): string | number | boolean {
  if (c === null) return '';
  if (typeof c !== 'object') return c;
  return 'cents' in c ? formatMoney(c.cents) : c.day;
}

/**
 * The claim's register: CSV holds the lines, then a blank line's worth of section and the totals
 * (section column first, so one file holds both); XLSX a sheet of lines and a sheet of totals.
 */
export async function sendClaim(
  res: Response,
  name: string,
  v: ClaimView,
  format: 'csv' | 'xlsx',
  dialect: CsvDialect,
) {
  const lines = v.lines.map((l) => LINE_COLUMNS.map(([, , , cell]) => cell(l)));
  if (format === 'csv') {
    const width = LINE_COLUMNS.length;
    const pad = (r: ReportCell[]) => [...r, ...Array<ReportCell>(width - r.length).fill(null)];
    const rows = [
      ...lines.map((r) => ['line', ...r]),
      ['totals', ...TOTAL_COLUMNS.map(([csv]) => csv), ...Array<string>(width - TOTAL_COLUMNS.length).fill('')],
      ...totalRows(v).map((r) => ['total', ...pad(r)]),
    ];
    return sendCsv(
      res,
      name,
      ['section', ...LINE_COLUMNS.map(([csv]) => csv)],
      rows.map((r) => r.map(csvCell)),
      dialect,
      v.position,
    );
  }
  const book = new Workbook();
  addSheet(book, {
    name: 'Paraiškos eilutės',
    header: LINE_COLUMNS.map(([, h]) => h),
    widths: LINE_COLUMNS.map(([, , w]) => w),
    rows: lines,
  });
  addSheet(book, {
    name: 'Sumos',
    header: TOTAL_COLUMNS.map(([, h]) => h),
    widths: TOTAL_COLUMNS.map(([, , w]) => w),
    rows: totalRows(v),
  });
  return sendWorkbook(res, name, book, v.position);
}
