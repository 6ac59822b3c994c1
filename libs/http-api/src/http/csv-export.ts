import { pipeline, Transform, type Readable } from 'node:stream';
import { BadRequestException } from '@nestjs/common';
import type { Response } from 'express';
import { parse } from 'csv-parse';
import { stringify as stringifyStream } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';
import {
  progressBreakdowns,
  type ActivityVolumesView,
  type BudgetView,
  type FigureEventsView,
  type HistoryEntry,
  type ProgressView,
} from '@ihl/application';
import { formatMoney } from '@ihl/domain';
import { stampCsv } from '@ihl/jobs';
import { exportStamp } from '../exports/export-stamp';

export type ExportFormat = 'json' | 'csv';

export function formatOf(text: string | undefined): ExportFormat {
  if (text === undefined || text === 'json') return 'json';
  if (text === 'csv') return 'csv';
  throw new BadRequestException({
    message: 'format: must be json or csv',
    issues: [{ field: 'format', rule: 'enum', message: 'must be json or csv', value: text }],
  });
}

/**
 * `standard`: RFC 4180, `,`, `.` decimals, LF, no BOM (unchanged for programs that read it).
 * `excel`: what Excel set to Lithuanian opens as columns: `;`, decimal comma, UTF-8 BOM, CRLF.
 */
export type CsvDialect = 'standard' | 'excel';
export const CSV_DIALECTS: readonly CsvDialect[] = ['standard', 'excel'];

type Cell = string | number | boolean;

/**
 * Sends a CSV attachment (RFC 4180 quoting by csv-stringify); money as decimal strings. Built at a
 * ledger `position`, it starts with the checkpoint it was built on as a `#` line (export-stamp).
 */
export async function sendCsv(
  res: Response,
  name: string,
  header: string[],
  rows: Cell[][],
  dialect: CsvDialect,
  position: number,
): Promise<void> {
  const stamp = await exportStamp(res, position);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  res.send(stampCsv(csvText(header, rows, dialect), stamp));
}

const EXCEL_OPTIONS = { delimiter: ';', record_delimiter: 'windows', bom: true } as const;

export function csvText(header: string[], rows: Cell[][], dialect: CsvDialect): string {
  if (dialect === 'standard') return stringify([header, ...rows]);
  return stringify([header.map(excelCell), ...rows.map((r) => r.map(excelCell))], EXCEL_OPTIONS);
}

/**
 * A standard-dialect CSV (a file written as it went, e.g. an import's row errors) streamed out in
 * the excel dialect, cell by cell as csvText converts them, so a large file is never held whole.
 */
export function excelCsvOf(standard: Readable): Readable {
  const out = stringifyStream(EXCEL_OPTIONS);
  const cells = new Transform({
    objectMode: true,
    transform: (row: string[], _encoding, done) => done(null, row.map(excelCell)),
  });
  // A failure destroys `out` too, which ends the answer: nothing more to do here.
  pipeline(standard, parse(), cells, out, () => undefined);
  return out;
}

// A plain decimal as the builders write money and hours: ids are slugs or UUIDs and dates use `-`,
// so neither ever matches.
const DECIMAL = /^-?\d+\.\d+$/;
// What a spreadsheet would run as a formula (OWASP's list); a leading `'` makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell of the excel dialect: a decimal gets its comma; text that would start a formula is
 * prefixed with `'`. Only here: in the standard dialect the prefix would alter the values programs read.
 */
function excelCell(cell: Cell): Cell {
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell : String(cell).replace('.', ',');
  if (typeof cell !== 'string') return cell;
  if (DECIMAL.test(cell)) return cell.replace('.', ',');
  if (/^-?\d+$/.test(cell)) return cell;
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

const CLAIM_SUMS = ['claimedCents', 'acceptedCents', 'reimbursedCents', 'outstandingCents'] as const;
type ClaimCells = Readonly<Record<(typeof CLAIM_SUMS)[number], bigint>> | undefined;
const claimCells = (sums: ClaimCells): string[] => CLAIM_SUMS.map((k) => formatMoney(sums?.[k] ?? 0n));

/**
 * What payment claims made of each budget line, by partner and category. A claim line whose partner
 * and category have no budget line (an SCO category never allocated) gets a line row of its own with
 * empty budget cells, so the claim columns of the line rows still sum to the total row's.
 */
function claimRows(v: BudgetView) {
  const byKey = new Map((v.claims?.lines ?? []).map((l) => [`${l.partnerId}/${l.categoryId}`, l]));
  return {
    /** The claim cells of a budget line (the claim line is then taken). */
    of: (partnerId: string, categoryId: string): string[] => {
      const key = `${partnerId}/${categoryId}`;
      const sums = byKey.get(key);
      byKey.delete(key);
      return claimCells(sums);
    },
    /** The claim lines no budget line took. */
    rest: (): string[][] =>
      [...byKey.values()].map((l) => [
        'line',
        l.partnerId,
        l.categoryId,
        ...Array<string>(8).fill(''),
        ...claimCells(l),
      ]),
  };
}

export function budgetCsv(v: BudgetView): [string[], (string | number | boolean)[][]] {
  // `row` tells lines, the total and the monthly burn apart, so a column sum never mixes them.
  const header = [
    'row',
    'partner',
    'category',
    'month',
    'allocated',
    'declared',
    'eligible',
    'ineligible',
    'pending',
    'remaining',
    'over_spent',
    'claimed',
    'accepted',
    'reimbursed',
    'outstanding',
  ];
  const claims = claimRows(v);
  const rows = v.lines.map((l) => [
    'line',
    l.partnerId,
    l.categoryId,
    '',
    ...[l.allocatedCents, l.declaredCents, l.eligibleCents, l.ineligibleCents, l.pendingCents, l.remainingCents].map(
      formatMoney,
    ),
    String(l.overSpent),
    ...claims.of(l.partnerId, l.categoryId),
  ]);
  rows.push(...claims.rest());
  const t = v.total;
  rows.push([
    'total',
    '',
    '',
    '',
    ...[t.allocatedCents, t.declaredCents, t.eligibleCents, t.ineligibleCents, t.pendingCents, t.remainingCents].map(
      formatMoney,
    ),
    String(v.flags.overSpentLines > 0),
    ...claimCells(v.claims?.total),
  ]);
  // The monthly burn: declared and eligible by month of the expenditure date (the project's only).
  for (const m of v.spending?.burn ?? [])
    rows.push([
      'month',
      '',
      '',
      m.month,
      '',
      formatMoney(m.declaredCents),
      formatMoney(m.eligibleCents),
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  return [header, rows];
}

export function progressCsv(v: ProgressView): [string[], (string | number | boolean)[][]] {
  const rows: (string | number)[][] = [['total', '', v.personsReached, '']];
  for (const [dimension, values] of progressBreakdowns(v)) {
    for (const [key, n] of Object.entries(values)) rows.push([dimension, key, n, '']);
  }
  for (const p of v.curve) rows.push(['cumulative', p.month, p.cumulative, p.trajectory]);
  // Each partner's persons against where its own line stands today.
  for (const p of v.partners)
    rows.push([p.behind ? 'partner_behind' : 'partner_on_track', p.partnerId, p.actual, p.expectedToDate]);
  return [['dimension', 'key', 'persons', 'trajectory'], rows];
}

export function volumesCsv(v: ActivityVolumesView): [string[], (string | number | boolean)[][]] {
  const rows: (string | number)[][] = [];
  for (const s of v.services)
    rows.push(
      ['services', `${s.service}/${s.setting}`, 'count', s.count],
      ['services', `${s.service}/${s.setting}`, 'hours', s.hours],
    );
  rows.push(
    ['consultations', '', 'count', v.consultations.count],
    ['consultations', '', 'family_members', v.consultations.familyMembers],
    ['consultations', '', 'hours', v.consultations.hours],
  );
  for (const p of v.psychologicalSupport) {
    rows.push(
      ['psychological_support', p.recipientKind, 'sessions', p.sessions],
      ['psychological_support', p.recipientKind, 'participants', p.participants],
      ['psychological_support', p.recipientKind, 'hours', p.hours],
    );
  }
  for (const [metric, value] of Object.entries(v.trainings)) rows.push(['trainings', '', metric, value]);
  for (const e of v.equipment)
    rows.push(
      ['equipment', e.category, 'quantity', e.quantity],
      ['equipment', e.category, 'cost', formatMoney(e.costCents)],
    );
  for (const e of v.events)
    rows.push(['events', e.audience, 'count', e.count], ['events', e.audience, 'attendees', e.attendees]);
  for (const c of v.caseload)
    rows.push(
      ['caseload', `${c.partnerId}/${c.workerRef}`, 'services', c.services],
      ['caseload', `${c.partnerId}/${c.workerRef}`, 'persons', c.persons],
    );
  return [['section', 'item', 'metric', 'value'], rows];
}

/** Who acted, as three columns: subject, role, partner (empty when not a partner's user). */
function actorColumns(actor: unknown): [string, string, string] {
  const a = (actor ?? {}) as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' ? x : '');
  return [text(a.subject), text(a.role), text(a.partnerId)];
}

const ACTOR_HEADER = ['actor_subject', 'actor_role', 'actor_partner'];

/** One page of the events behind a figure; the actor split into columns. */
export function auditCsv(v: FigureEventsView): [string[], (string | number)[][]] {
  const header = ['position', 'event_id', 'type', 'stream', 'revision', 'recorded_at', ...ACTOR_HEADER];
  const rows = v.events.map((e) => [
    e.position,
    e.eventId,
    e.type,
    e.streamId,
    e.revision,
    e.recordedAt,
    ...actorColumns(e.actor),
  ]);
  return [header, rows];
}

/** A record's history, an event a line; what the event says (values, previous values, reason) as JSON. */
export function historyCsv(history: readonly HistoryEntry[]): [string[], (string | number)[][]] {
  const header = ['revision', 'position', 'event_id', 'type', 'recorded_at', ...ACTOR_HEADER, 'data'];
  const rows = history.map((h) => [
    h.revision,
    h.position,
    h.eventId,
    h.type,
    h.recordedAt,
    ...actorColumns(h.actor),
    JSON.stringify(h.data),
  ]);
  return [header, rows];
}
