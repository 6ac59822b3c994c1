import { InvalidAppendError } from './event-store.errors';
import type { ExpectedRevision, NewEvent } from './event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * A lone surrogate: no UTF-8 for it, so SQLite would store other bytes (its 3-byte CESU form) than
 * the hash chain hashed, read back as other text, and `ledger verify` would report the row altered.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/** Checks shared by every adapter, so each rejects the same malformed appends the same way. */
export function validateAppend(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): void {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.length > 200 || streamId.startsWith('$')) {
    throw new InvalidAppendError(
      `stream id must be 1-200 characters and not start with '$' (got ${JSON.stringify(streamId)})`,
    );
  }
  if (LONE_SURROGATE.test(streamId))
    throw new InvalidAppendError('stream id must be well-formed Unicode (a lone surrogate)');
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError('an append needs at least one event');
  if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw new InvalidAppendError(`expected revision must be a non-negative integer (got ${expected})`);
  }
  const ids = new Set<string>();
  for (const e of events) {
    if (typeof e.eventId !== 'string' || !UUID.test(e.eventId)) {
      throw new InvalidAppendError(`event id must be a UUID (got ${JSON.stringify(e.eventId)})`);
    }
    if (ids.has(e.eventId)) throw new InvalidAppendError(`event id ${e.eventId} appears twice in one append`);
    ids.add(e.eventId);
    if (typeof e.type !== 'string' || e.type.length === 0 || e.type.startsWith('$')) {
      throw new InvalidAppendError(
        `event type must be non-empty and not start with '$' (got ${JSON.stringify(e.type)})`,
      );
    }
    if (LONE_SURROGATE.test(e.type))
      throw new InvalidAppendError('event type must be well-formed Unicode (a lone surrogate)');
  }
}

/** Whether a stream at `actual` (null: no stream) satisfies an expected revision. */
export function revisionSatisfies(expected: ExpectedRevision, actual: number | null): boolean {
  return (
    expected === 'any' ||
    (expected === 'no_stream' && actual === null) ||
    (expected === 'stream_exists' && actual !== null) ||
    (typeof expected === 'number' && actual === expected)
  );
}
