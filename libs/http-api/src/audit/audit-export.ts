import { Workbook } from 'exceljs';
import type { Response } from 'express';
import type { FigureEvent, FigureEventsView } from '@ihl/application';
import { addSheet, type ReportCell } from '@ihl/jobs';
import { sendWorkbook } from '../exports/export-stamp';

const actor = (e: FigureEvent, key: 'subject' | 'role' | 'partnerId'): string => {
  const a = e.actor;
  const value = a !== null && typeof a === 'object' && !Array.isArray(a) ? a[key] : undefined;
  return typeof value === 'string' ? value : '';
};

/** The CSV's columns and what the JSON adds (import, late entry), headed Lithuanian first as the other workbooks are. */
const AUDIT_COLUMNS: readonly (readonly [string, number, (e: FigureEvent) => ReportCell])[] = [
  ['Pozicija / Position', 10, (e) => e.position],
  ['Įvykio ID / Event id', 38, (e) => e.eventId],
  ['Įvykis / Event', 26, (e) => e.type],
  ['Srautas / Stream', 44, (e) => e.streamId],
  ['Versija / Revision', 10, (e) => e.revision],
  ['Užregistruota / Recorded', 26, (e) => e.recordedAt],
  ['Naudotojas / User', 22, (e) => actor(e, 'subject')],
  ['Vaidmuo / Role', 18, (e) => actor(e, 'role')],
  ['Partneris / Partner', 20, (e) => actor(e, 'partnerId')],
  ['Importas / Import', 38, (e) => e.importId ?? ''],
  ['Pavėluotas, ataskaitoje / Late, reported in', 16, (e) => e.lateEntry?.reportedIn ?? ''],
];

/** One page of the events behind a figure as a workbook, stamped with the checkpoint it was built on. */
export function sendAuditWorkbook(res: Response, name: string, view: FigureEventsView): Promise<void> {
  const book = new Workbook();
  addSheet(book, {
    name: 'Įvykiai',
    header: AUDIT_COLUMNS.map(([header]) => header),
    widths: AUDIT_COLUMNS.map(([, width]) => width),
    rows: view.events.map((e) => AUDIT_COLUMNS.map(([, , cell]) => cell(e))),
  });
  return sendWorkbook(res, name, book, view.position);
}
