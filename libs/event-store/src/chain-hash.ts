import { CHAIN_INPUT, UTF8_BYTES_PER_UNIT } from './chain-input';
import type { JsonValue } from './event-store.port';

/** The predecessor of the first event of a chain: 32 zero bytes. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/**
 * The one chain step of both stores: SHA-256(previous hash || UTF-8 of JSON.stringify(fields)), the
 * fields being an event's canonical content in a fixed order (each store says which: the SQLite row's
 * columns; on EventStoreDB what the client sends, since the server assigns position and time).
 */
export function chainHash(prev: Buffer, fields: readonly JsonValue[]): Buffer {
  const text = JSON.stringify(fields);
  CHAIN_INPUT.start(prev, text.length * UTF8_BYTES_PER_UNIT);
  CHAIN_INPUT.utf8(text);
  return CHAIN_INPUT.digest();
}
