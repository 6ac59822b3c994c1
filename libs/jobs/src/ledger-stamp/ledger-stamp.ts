import type { INestApplicationContext } from '@nestjs/common';
import type { Workbook } from 'exceljs';
import {
  EVENT_STORE,
  checkpointToken,
  findCheckpointToken,
  type EventStore,
  type LedgerCheckpoint,
} from '@ihl/event-store';
import { addFieldSheet } from '../report-workbook.sheets';

/**
 * What an export or report was built on: its own ledger position and the newest signed checkpoint
 * at or below it. `ledger verify --report FILE` reads it back from any of the formats written here
 * (docs/tamper-evidence.md), so this module is the one place that decides where it goes.
 */
export interface LedgerStamp {
  readonly position: number;
  readonly checkpoint: LedgerCheckpoint;
}

/** The store's lookup (the port's optional `checkpointAtOrBelow`); null where the store keeps no chain. */
export type CheckpointLookup = (position: number) => Promise<LedgerCheckpoint | null>;

/** The lookup of an application context's store (the worker's); none where the store keeps no chain. */
export function checkpointsOf(app: Pick<INestApplicationContext, 'get'>): CheckpointLookup {
  const store = app.get<EventStore>(EVENT_STORE);
  return (position) => store.checkpointAtOrBelow?.(position) ?? Promise.resolve(null);
}

/** The stamp of a file built at `position`; null when no checkpoint was signed at or below it. */
export async function ledgerStampAt(
  lookup: CheckpointLookup | undefined,
  position: number,
): Promise<LedgerStamp | null> {
  const checkpoint = lookup ? await lookup(position) : null;
  return checkpoint ? { position, checkpoint } : null;
}

const POSITION = /IHL-POSITION\/1:(\d+)/;

/** One line a program finds and a person can copy: the file's position, then the checkpoint token. */
export function stampText(s: LedgerStamp): string {
  return `IHL-POSITION/1:${s.position} ${checkpointToken(s.checkpoint)}`;
}

/**
 * The stamp in a file's text (null: none). A file without its own position (a token put in by
 * hand, or an older IATI file) is taken as built at the checkpoint's position.
 */
export function findLedgerStamp(text: string): LedgerStamp | null {
  const checkpoint = findCheckpointToken(text);
  if (!checkpoint) return null;
  const position = POSITION.exec(text);
  return { checkpoint, position: position ? Number(position[1]) : checkpoint.position };
}

/** CSV: a first comment line (`#`), which csv-parse's `comment` option, pandas and R skip. */
export function stampCsv(csv: string, s: LedgerStamp | null): string {
  if (!s) return csv;
  const bom = csv.startsWith('\uFEFF') ? '\uFEFF' : '';
  const newline = csv.includes('\r\n') ? '\r\n' : '\n';
  return `${bom}# ${stampText(s)}${newline}${csv.slice(bom.length)}`;
}

/** JSON: one more field, `ledgerCheckpoint`, beside the figures. */
export function stampJson<T extends object>(body: T, s: LedgerStamp | null): T {
  if (!s) return body;
  return { ...body, ledgerCheckpoint: { position: s.position, token: stampText(s) } };
}

/** XML: a comment right after the declaration (readers skip it). */
export function stampXml(xml: string, s: LedgerStamp | null): string {
  if (!s) return xml;
  return xml.replace(/^(<\?xml[^>]*\?>)?/, (decl) => `${decl}\n<!-- ${stampText(s)} -->`);
}

export const STAMP_SHEET = 'Patikra';

/**
 * XLSX: a last sheet a person sees ("Patikra": the position, the token, how to check it) and the
 * document's keywords (docProps/core.xml) a program reads without opening the sheets.
 */
export function stampWorkbook(book: Workbook, s: LedgerStamp | null): void {
  if (!s) return;
  book.keywords = stampText(s);
  addFieldSheet(book, STAMP_SHEET, 120, [
    ['Registro pozicija / Ledger position', s.position],
    ['Pasirašytas kontrolinis taškas / Signed checkpoint', s.checkpoint.position],
    ['Kontrolinis taškas paimtas / Checkpoint taken at', s.checkpoint.takenAt],
    ['Patikros žymė / Verification token', stampText(s)],
    ['Kaip patikrinti / How to verify', 'ledger verify --report <failas> --public-key <viešasis raktas>'],
  ]);
}

/** PDF: the document's Keywords (pdfinfo shows them); the cover prints the same text (pdfCoverLines). */
export function stampPdfInfo(s: LedgerStamp | null): { Keywords?: string } {
  return s ? { Keywords: stampText(s) } : {};
}

/** The cover's lines (Lithuanian): what the pack was built on and how to check it. */
export function stampCoverLines(s: LedgerStamp | null): string[] {
  if (!s) return [];
  return [
    `Pasirašytas registro kontrolinis taškas: pozicija ${s.checkpoint.position}, paimtas ${s.checkpoint.takenAt}.`,
    `Patikra (ledger verify --report): ${stampText(s)}`,
  ];
}
