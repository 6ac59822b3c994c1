import { hash } from 'node:crypto';
import type { EventRow } from './event-row.mapping';

/** The first input byte of a format-2 step: a format-1 input starts with `[` there, so none is both. */
const FORMAT_2 = 0x02;
const INTEGER_COLUMNS = [0, 2, 5] as const;
const TEXT_COLUMNS = [1, 3, 4, 6, 7, 8] as const;

/** Reused by every step (they are synchronous): the input is assembled in place, never concatenated. */
let input = Buffer.allocUnsafe(64 * 1024);

/** A row whose columns do not hold the types the ledger writes: it cannot be the ledger's row. */
export class ChainInputError extends Error {}

/**
 * The chain step of format 2 (docs/tamper-evidence.md): SHA-256 over
 * `prev || 0x02 || position || revision || schema_version` (each a big-endian signed 64-bit integer)
 * `|| stream_id || event_id || type || data || metadata || recorded_at` (each a big-endian 32-bit
 * byte length, then its UTF-8 bytes). The columns' stored texts are hashed as they are: no second
 * JSON text of the row, whose escaping of the already-JSON data was most of format 1's cost. Fixed
 * widths and lengths make the input decodable, so no two different rows give the same input.
 */
export function rowChainHash(prev: Buffer, row: EventRow): Buffer {
  let chars = 0;
  for (const i of TEXT_COLUMNS) {
    const text: unknown = row[i];
    if (typeof text !== 'string') throw new ChainInputError(`column ${i + 1} is not text`);
    chars += text.length;
  }
  // At most 3 UTF-8 bytes per UTF-16 unit: a text always fits, never truncated by write.
  const bound = prev.length + 1 + 3 * 8 + TEXT_COLUMNS.length * 4 + chars * 3;
  if (bound > input.length) input = Buffer.allocUnsafe(Math.max(bound, input.length * 2));
  let at = prev.copy(input, 0);
  at = input.writeUInt8(FORMAT_2, at);
  for (const i of INTEGER_COLUMNS) at = writeInt64(row[i], at);
  for (const i of TEXT_COLUMNS) {
    const written = input.write(row[i], at + 4, 'utf8');
    input.writeUInt32BE(written, at);
    at += 4 + written;
  }
  // As 'binary' (latin1) text copied into a pooled Buffer: cheaper than a natively made Buffer.
  return Buffer.from(hash('sha256', input.subarray(0, at), 'binary'), 'binary');
}

function writeInt64(value: unknown, at: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new ChainInputError(`${value} is not an integer`);
  const high = Math.floor(value / 2 ** 32);
  input.writeInt32BE(high, at);
  return input.writeUInt32BE(value - high * 2 ** 32, at + 4);
}
