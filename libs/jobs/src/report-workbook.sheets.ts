import type { Workbook, Worksheet } from 'exceljs';
import {
  progressBreakdowns,
  type ActivityVolumesView,
  type BudgetView,
  type EsfIndicatorRow,
  type EsfIndicatorTable,
  type ExpenditureView,
  type ProgressView,
} from '@ihl/application';

/** A typed cell: money in cents (shown in EUR), a calendar day, or a plain value. */
export type ReportCell =
  number | string | boolean | null | { readonly cents: number | bigint } | { readonly day: string };

export interface ReportSheet {
  readonly name: string;
  /** Lithuanian first, then English: the agency's users read Lithuanian, the ministry's annexes both. */
  readonly header: readonly string[];
  readonly widths: readonly number[];
  readonly rows: readonly (readonly ReportCell[])[];
}

export const EUR_FORMAT = '#,##0.00 "€"';
export const DAY_FORMAT = 'yyyy-mm-dd';

/** Adds one sheet: bold frozen header, column widths, numbers as numbers, days as dates, money in EUR. */
export function addSheet(book: Workbook, sheet: ReportSheet): Worksheet {
  const ws = book.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = sheet.header.map((h, i) => ({ header: h, width: sheet.widths[i] ?? 14 }));
  ws.getRow(1).font = { bold: true };
  for (const cells of sheet.rows) {
    const row = ws.addRow(cells.map(cellValue));
    cells.forEach((c, i) => {
      if (c !== null && typeof c === 'object') row.getCell(i + 1).numFmt = 'cents' in c ? EUR_FORMAT : DAY_FORMAT;
    });
  }
  return ws;
}

/** A sheet of field / value rows (a workbook's information, its checkpoint), header frozen and bold. */
export function addFieldSheet(
  book: Workbook,
  name: string,
  valueWidth: number,
  rows: readonly (readonly [string, string | number | Date])[],
): Worksheet {
  const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: 'Laukas / Field', width: 34 },
    { header: 'Reikšmė / Value', width: valueWidth },
  ];
  ws.getRow(1).font = { bold: true };
  ws.addRows(rows.map((r) => [...r]));
  return ws;
}

function cellValue(c: ReportCell): number | string | boolean | Date | null {
  if (c === null || typeof c !== 'object') return c;
  if ('cents' in c) return euros(c.cents);
  return new Date(`${c.day}T00:00:00Z`);
}

/** Below 10^15 cents an amount has at most 15 significant digits, which a double holds exactly as text. */
const EXACT_CENTS = 10n ** 15n;

/**
 * An amount in cents as the number a spreadsheet cell holds. Sums are made in whole cents before;
 * one division by 100 is rounded to the double nearest the decimal amount, and a double of at most
 * 15 significant digits is written back (String, as exceljs writes it) as exactly that decimal
 * (`0.3`, never `0.30000000000000004`), which Excel reads to the cent. Larger amounts (above
 * EUR 10 trillion) could not be, so they stop the report rather than be written off by a cent.
 */
export function euros(cents: number | bigint): number {
  const whole = BigInt(cents);
  if (whole >= EXACT_CENTS || whole <= -EXACT_CENTS)
    throw new RangeError(`an amount of ${whole} cents is too large to be written exactly as a number`);
  return Number(whole) / 100;
}

const money = (cents: number | bigint): ReportCell => ({ cents });
const day = (text: string): ReportCell => (text ? { day: text } : null);

export function progressSheet(v: ProgressView): ReportSheet {
  const rows: ReportCell[][] = [['total', '', v.personsReached, null]];
  for (const [dimension, values] of progressBreakdowns(v))
    for (const [key, n] of Object.entries(values)) rows.push([dimension, key, n, null]);
  for (const p of v.curve) rows.push(['cumulative', p.month, p.cumulative, p.trajectory]);
  for (const p of v.partners)
    rows.push([p.behind ? 'partner_behind' : 'partner_on_track', p.partnerId, p.actual, p.expectedToDate]);
  return {
    name: 'Pažanga',
    header: ['Pjūvis / Dimension', 'Reikšmė / Key', 'Asmenys / Persons', 'Trajektorija / Trajectory'],
    widths: [22, 28, 16, 18],
    rows,
  };
}

export function volumesSheet(v: ActivityVolumesView): ReportSheet {
  const rows: ReportCell[][] = [];
  for (const s of v.services) rows.push(['services', `${s.service}/${s.setting}`, s.count, s.hours, null, null]);
  rows.push(['consultations', '', v.consultations.count, v.consultations.hours, v.consultations.familyMembers, null]);
  for (const p of v.psychologicalSupport)
    rows.push(['psychological_support', p.recipientKind, p.sessions, p.hours, p.participants, null]);
  rows.push(['trainings', '', v.trainings.count, v.trainings.hours, v.trainings.participants, null]);
  for (const e of v.equipment) rows.push(['equipment', e.category, e.quantity, null, null, money(e.costCents)]);
  rows.push(['vehicles', '', v.vehicles.quantity, null, null, money(v.vehicles.costCents)]);
  for (const e of v.events) rows.push(['events', e.audience, e.count, null, e.attendees, null]);
  for (const c of v.caseload)
    rows.push(['caseload', `${c.partnerId}/${c.workerRef}`, c.services, null, c.persons, null]);
  return {
    name: 'Apimtys',
    header: [
      'Skyrius / Section',
      'Elementas / Item',
      'Kiekis / Count',
      'Valandos / Hours',
      'Dalyviai / People',
      'Kaina / Cost',
    ],
    widths: [24, 30, 12, 12, 14, 16],
    rows,
  };
}

const BUDGET_HEADER = [
  'Eilutė / Row',
  'Partneris / Partner',
  'Kategorija / Category',
  'Mėnuo / Month',
  'Skirta / Allocated',
  'Deklaruota / Declared',
  'Tinkama / Eligible',
  'Netinkama / Ineligible',
  'Laukia / Pending',
  'Likutis / Remaining',
  'Viršyta / Over spent',
];

export function budgetSheet(v: BudgetView): ReportSheet {
  type Sums = BudgetView['total'];
  const sums = (s: Sums) =>
    [s.allocatedCents, s.declaredCents, s.eligibleCents, s.ineligibleCents, s.pendingCents, s.remainingCents].map(
      money,
    );
  const rows: ReportCell[][] = v.lines.map((l) => ['line', l.partnerId, l.categoryId, '', ...sums(l), l.overSpent]);
  rows.push(['total', '', '', '', ...sums(v.total), v.flags.overSpentLines > 0]);
  for (const m of v.spending?.burn ?? [])
    rows.push(['month', '', '', m.month, null, money(m.declaredCents), money(m.eligibleCents), null, null, null, null]);
  return { name: 'Biudžetas', header: BUDGET_HEADER, widths: [10, 20, 20, 10, 16, 16, 16, 16, 16, 16, 12], rows };
}

export function esfSheet(t: EsfIndicatorTable): ReportSheet {
  const line = (period: string, start: string, end: string, r: EsfIndicatorRow): ReportCell[] => [
    period,
    day(start),
    day(end),
    r.code ?? '',
    r.name,
    r.breakdown ?? '',
    r.value,
    r.target,
    ...t.partners.map((p) => r.byPartner[p] ?? 0),
  ];
  return {
    name: 'ESF+ rodikliai',
    header: [
      'Laikotarpis / Period',
      'Pradžia / Start',
      'Pabaiga / End',
      'Kodas / Code',
      'Rodiklis / Indicator',
      'Pjūvis / Breakdown',
      'Reikšmė / Value',
      'Tikslas / Target',
      ...t.partners,
    ],
    widths: [14, 12, 12, 10, 44, 20, 12, 12, ...t.partners.map(() => 16)],
    rows: [
      ...t.rows.map((r) => line('all', '', '', r)),
      ...t.periods.flatMap((p) => p.rows.map((r) => line(p.id, p.start, p.end, r))),
    ],
  };
}

/** One line per expenditure as its record reads at the report's position (voided ones too, marked). */
export function registerSheet(expenditures: readonly ExpenditureView[]): ReportSheet {
  const rows = expenditures.map(({ state: e, revision }): ReportCell[] => [
    e.expenditureId,
    e.partnerId,
    e.fields.categoryId,
    day(e.fields.occurredOn),
    e.fields.documentRef,
    e.fields.description,
    money(e.fields.amountCents),
    e.verification ? money(e.verification.eligibleCents) : null,
    e.verification ? money(e.verification.ineligibleCents) : null,
    e.status === 'voided' ? 'voided' : e.verification ? 'verified' : 'pending',
    revision,
  ]);
  return {
    name: 'Išlaidų registras',
    header: [
      'Išlaidos / Expenditure',
      'Partneris / Partner',
      'Kategorija / Category',
      'Data / Date',
      'Dokumentas / Document',
      'Aprašymas / Description',
      'Suma / Amount',
      'Tinkama / Eligible',
      'Netinkama / Ineligible',
      'Būsena / Status',
      'Versija / Revision',
    ],
    widths: [38, 20, 18, 12, 18, 36, 14, 14, 14, 12, 10],
    rows,
  };
}
