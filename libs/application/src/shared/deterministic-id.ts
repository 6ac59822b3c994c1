import { createHash } from 'node:crypto';
import type { EventStore } from '@ihl/event-store';

function digest(scope: string, key: string): string {
  return createHash('sha256').update(`${scope}\u0000${key}`).digest('hex');
}

/** The digest's first 128 bits laid out as a UUID, with the given version nibble and variant bits 10. */
function layout(h: string, version: '5' | '8'): string {
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${version}${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A UUID derived from a scope and a client key, so a retried creation with the same
 * Idempotency-Key lands on the same record stream. RFC 9562 version 8 (custom): 122 bits of
 * SHA-256(scope NUL key), version 8, variant 10. Version 5 would claim SHA-1 name-based.
 */
export function deterministicId(scope: string, key: string): string {
  return layout(digest(scope, key), '8');
}

/**
 * The id earlier versions derived: the same bits, mislabelled version 5. Ledgers written before
 * the change hold records under it, so retries must still find them; never used for new records.
 */
export function legacyDeterministicId(scope: string, key: string): string {
  return layout(digest(scope, key), '5');
}

export interface KeyedIdRequest {
  /** Scope of the derivation, e.g. `activity:<project>:<partner>`. */
  readonly scope: string;
  /** What the id is derived from: the Idempotency-Key, or `<key>#<i>` for a batch's i-th record. */
  readonly derivedFrom: string;
  /** The request's Idempotency-Key, as stored in the metadata of the events it wrote. */
  readonly idempotencyKey: string;
  /** The record's stream, e.g. `activityStreamId`. */
  readonly streamOf: (id: string) => string;
}

/**
 * The id of a creation keyed by an Idempotency-Key: the version-5 id when the ledger holds a record
 * this key wrote under it (a retry of a request answered before the change), else the version-8 id.
 * Only a record written by the same key is adopted, so a client that chose such an id itself for
 * another request does not capture retries.
 */
export async function keyedRecordId(store: EventStore, r: KeyedIdRequest): Promise<string> {
  const legacy = legacyDeterministicId(r.scope, r.derivedFrom);
  const stored = await store.readStream(r.streamOf(legacy));
  if (stored.some((e) => e.metadata.idempotencyKey === r.idempotencyKey)) return legacy;
  return deterministicId(r.scope, r.derivedFrom);
}
