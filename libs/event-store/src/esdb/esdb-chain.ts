import { GENESIS_HASH, chainHash } from '../chain-hash';
import type { ExpectedRevision, NewEvent, ReadStreamOptions, StoredEvent } from '../event-store.port';
import type { ChainedEvent } from './esdb-event.mapping';

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

/** What an append chains on: the revision sent to the server, the predecessor's hash, the first new revision. */
export interface ChainTail {
  readonly expected: ExpectedRevision;
  /** null: appended without the chain (the benchmarks' baseline). */
  readonly prev: Buffer | null;
  readonly first: number;
}

type StreamReader = (streamId: string, options: ReadStreamOptions) => Promise<ChainedEvent[]>;

/** Streams whose newest chain hash this process knows (appended or read); bounded, oldest dropped first. */
const MAX_KNOWN_TAILS = 10_000;

/** How far back an 'any' / 'stream_exists' re-append finds its ids (the server's own id cache is bounded too). */
const ANY_IDEMPOTENCY_WINDOW = 256;

/**
 * Where appends chain on. The hash at a stream's revision never changes, so the newest one this
 * process appended or read is kept: an append after the decision's read (the api's write path) or
 * after its own previous append needs no extra read.
 */
export class ChainTails {
  private readonly known = new Map<string, { readonly revision: number; readonly hash: string }>();

  /** Keeps a read event's hash when it is its stream's newest known; answers the event without it. */
  seen(e: ChainedEvent | null): StoredEvent | null {
    if (!e) return null;
    const { chainHash, ...event } = e;
    if (chainHash) this.keep(e.streamId, e.revision, chainHash);
    return event;
  }

  /** After an append with an exact revision: its last event's hash. */
  remember(streamId: string, tail: ChainTail, revision: number, hashes: readonly string[]): void {
    if (typeof tail.expected === 'number' || tail.expected === 'no_stream')
      this.keep(streamId, revision, hashes[hashes.length - 1]!);
  }

  /**
   * The hash of the event at the expected revision (genesis for no_stream). 'any' and
   * 'stream_exists' read the stream's newest events and go as its tail's exact revision, so that
   * nothing slips in between; ids already stored among them go as asked, and the server answers the
   * original result.
   */
  async tailFor(streamId: string, expected: ExpectedRevision, firstId: string, read: StreamReader): Promise<ChainTail> {
    const known = this.knownTail(streamId, expected);
    if (known) return known;
    if (typeof expected === 'number') {
      const [at] = await read(streamId, { fromRevision: expected, maxCount: 1 });
      return { expected, prev: chainPredecessor(at?.revision === expected ? at.chainHash : null), first: expected + 1 };
    }
    // Newest first, bounded: a busy stream (a project's gate) must not be read whole per append.
    const recent = await read(streamId, { direction: 'backwards', maxCount: ANY_IDEMPOTENCY_WINDOW });
    const last = recent[0];
    const first = (last?.revision ?? -1) + 1;
    if (recent.some((e) => e.eventId === firstId)) return { expected, prev: chainPredecessor(null), first };
    // A missing stream: 'stream_exists' goes as it is, for the server to refuse.
    const exact = last ? last.revision : expected === 'any' ? 'no_stream' : expected;
    return { expected: exact, prev: chainPredecessor(last?.chainHash), first };
  }

  /**
   * The tail without a read, when no read is needed (no_stream, or an exact revision whose hash this
   * process knows): the api's append goes out in the same turn, without a promise between.
   */
  knownTail(streamId: string, expected: ExpectedRevision): ChainTail | null {
    if (expected === 'no_stream') return { expected, prev: chainPredecessor(null), first: 0 };
    if (typeof expected !== 'number') return null;
    const known = this.known.get(streamId);
    return known?.revision === expected ? { expected, prev: chainPredecessor(known.hash), first: expected + 1 } : null;
  }

  private keep(streamId: string, revision: number, hash: string): void {
    const known = this.known.get(streamId);
    if (known && known.revision >= revision) return;
    this.known.delete(streamId);
    this.known.set(streamId, { revision, hash });
    if (this.known.size > MAX_KNOWN_TAILS) this.known.delete(this.known.keys().next().value!);
  }
}
