import type { EventRow } from '../sqlite/event-row.mapping';

/** An events row as SQLite holds it (both chain formats' specs hash it), with some columns replaced. */
export function sqliteRow(over: Partial<Record<number, unknown>> = {}): EventRow {
  const row: unknown[] = [
    7,
    'service-1',
    0,
    'e-1',
    'ServiceDelivered',
    2,
    '{"note":"a \\"quoted\\" line"}',
    '{}',
    '2026-12-07T09:00:00.000Z',
  ];
  for (const [i, v] of Object.entries(over)) row[Number(i)] = v;
  // Deliberately any cells: the steps' refusal of cells the ledger never writes is tested with it.
  return row as EventRow;
}

// One- to four-byte UTF-8 characters, JSON escapes, a NUL, U+FFFD, a line separator, astral pairs and
// lone surrogates (the store refuses them before any step; the step encodes them as U+FFFD, as
// Buffer.from does).
const PIECES = [
  'a',
  'Z',
  '0',
  ' ',
  '"',
  '\\"',
  'ą',
  'ž',
  'Ė',
  'д',
  '€',
  '\u2028',
  '\ufffd',
  '\u0000',
  '😀',
  '𝄞',
  '\ud800',
  '\udc00',
];

function randomText(rng: () => number, maxLength: number): string {
  const length = Math.floor(rng() * (maxLength + 1));
  let s = '';
  while (s.length < length) s += PIECES[Math.floor(rng() * PIECES.length)]!;
  return s;
}

function randomInteger(rng: () => number): number {
  const kind = Math.floor(rng() * 4);
  if (kind === 0) return 0;
  if (kind === 1) return Math.floor(rng() * 1000);
  if (kind === 2) return -Math.floor(rng() * 2 ** 40);
  return Math.floor(rng() * Number.MAX_SAFE_INTEGER);
}

/** A random row of the cell types the ledger writes: empty texts, astral characters and, one in eight, long data. */
export function randomRow(rng: () => number): EventRow {
  const dataLength = rng() < 0.125 ? 200_000 : 600;
  return [
    randomInteger(rng),
    randomText(rng, 40),
    randomInteger(rng),
    randomText(rng, 36),
    randomText(rng, 30),
    randomInteger(rng),
    randomText(rng, dataLength),
    randomText(rng, 300),
    randomText(rng, 24),
  ];
}
