import { GENESIS_HASH, chainHash } from '../chain-hash';
import type { NewEvent, StoredEvent } from '../event-store.port';

/** The fields of an event the chain covers on EventStoreDB. */
export type EsdbChainContent = Pick<
  StoredEvent,
  'streamId' | 'revision' | 'eventId' | 'type' | 'schemaVersion' | 'data' | 'metadata'
>;

/**
 * Per stream: hash(r) = chainHash(hash(r-1), [stream, revision, id, type, schema version, data,
 * metadata]). Everything the client sends is covered; the position and the time are the server's,
 * unknown when the hash is computed, and are covered by the signed checkpoints instead.
 */
export function esdbChainStep(prev: Buffer, e: EsdbChainContent): Buffer {
  return chainHash(prev, [e.streamId, e.revision, e.eventId, e.type, e.schemaVersion, e.data, e.metadata]);
}

/** The hash an event chains to: its predecessor's, or genesis at a stream's start (or after events written without one). */
export function chainPredecessor(hex: string | null | undefined): Buffer {
  return hex ? Buffer.from(hex, 'hex') : GENESIS_HASH;
}

/** The chain hashes (hex) of events appended after a tail whose hash is `prev`, the first at `firstRevision`. */
export function chainAppend(
  prev: Buffer,
  streamId: string,
  firstRevision: number,
  events: readonly NewEvent[],
): string[] {
  return events.map((e, i) => {
    prev = esdbChainStep(prev, {
      streamId,
      revision: firstRevision + i,
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      data: e.data,
      metadata: e.metadata ?? {},
    });
    return prev.toString('hex');
  });
}
