import { CHAIN_INPUT, UTF8_BYTES_PER_UNIT } from '../chain-input';
import type { EventRow } from './event-row.mapping';

/** The first input byte of a format-2 step: a format-1 input starts with `[` there, so none is both. */
const FORMAT_2 = 0x02;
/** The format byte, three 64-bit integers and six 32-bit lengths. */
const FIXED_BYTES = 1 + 3 * 8 + 6 * 4;

/** A row whose columns do not hold the types the ledger writes: it cannot be the ledger's row. */
export class ChainInputError extends Error {}

/**
 * The chain step of format 2 (docs/tamper-evidence.md): SHA-256 over
 * `prev || 0x02 || position || revision || schema_version` (each a big-endian signed 64-bit integer)
 * `|| stream_id || event_id || type || data || metadata || recorded_at` (each a big-endian 32-bit
 * byte length, then its UTF-8 bytes). The columns' stored texts are hashed as they are: no second
 * JSON text of the row, whose escaping of the already-JSON data was most of format 1's cost. Fixed
 * widths and lengths make the input decodable, so no two different rows give the same input.
 * Written out column by column, no loop over column indexes: the step runs once per appended event.
 */
export function rowChainHash(prev: Buffer, row: EventRow): Buffer {
  const streamId = text(row, 1);
  const eventId = text(row, 3);
  const type = text(row, 4);
  const data = text(row, 6);
  const metadata = text(row, 7);
  const recordedAt = text(row, 8);
  const units = streamId.length + eventId.length + type.length + data.length + metadata.length + recordedAt.length;
  const input = CHAIN_INPUT;
  input.start(prev, FIXED_BYTES + units * UTF8_BYTES_PER_UNIT);
  input.byte(FORMAT_2);
  input.int64(integer(row, 0));
  input.int64(integer(row, 2));
  input.int64(integer(row, 5));
  input.lengthPrefixedUtf8(streamId);
  input.lengthPrefixedUtf8(eventId);
  input.lengthPrefixedUtf8(type);
  input.lengthPrefixedUtf8(data);
  input.lengthPrefixedUtf8(metadata);
  input.lengthPrefixedUtf8(recordedAt);
  return input.digest();
}

function text(row: EventRow, column: number): string {
  const value: unknown = row[column];
  if (typeof value !== 'string') throw new ChainInputError(`column ${column + 1} is not text`);
  return value;
}

function integer(row: EventRow, column: number): number {
  const value: unknown = row[column];
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new ChainInputError(`${String(value)} is not an integer`);
  return value;
}
