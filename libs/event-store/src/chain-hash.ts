import { hash } from 'node:crypto';
import type { JsonValue } from './event-store.port';

/** The predecessor of the first event of a chain: 32 zero bytes. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);

/** Reused by every step (they are synchronous): one buffer instead of a Hash object and two updates per event. */
let input = Buffer.allocUnsafe(64 * 1024);

/**
 * The one chain step of both stores: SHA-256(previous hash || UTF-8 of JSON.stringify(fields)), the
 * fields being an event's canonical content in a fixed order (each store says which: the SQLite row's
 * columns; on EventStoreDB what the client sends, since the server assigns position and time).
 * One-shot over one buffer: `createHash` builds a stream object per call, which cost more CPU (and
 * garbage) than the SHA-256 of a whole event.
 */
export function chainHash(prev: Buffer, fields: readonly JsonValue[]): Buffer {
  const text = JSON.stringify(fields);
  // At most 3 UTF-8 bytes per UTF-16 unit: the text always fits, never truncated by write.
  const bound = prev.length + text.length * 3;
  if (bound > input.length) input = Buffer.allocUnsafe(Math.max(bound, input.length * 2));
  prev.copy(input, 0);
  const end = prev.length + input.write(text, prev.length, 'utf8');
  // As 'binary' (latin1) text, copied into a pooled Buffer: a Buffer made by the native side has its
  // own backing store, which costs more to allocate and collect than the SHA-256 of the row.
  return Buffer.from(hash('sha256', input.subarray(0, end), 'binary'), 'binary');
}
