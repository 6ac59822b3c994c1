import type { KeyObject } from 'node:crypto';
import type { ChainFault, ChainVerification } from '../sqlite/chain.verifier';
import { chainPredecessor, esdbChainStep } from './esdb-chain';
import {
  FIRST_PREVIOUS,
  esdbCheckpointHash,
  headsDigest,
  verifyEsdbCheckpointSignature,
  type CheckpointSource,
  type EsdbCheckpoint,
  type StreamHead,
} from './esdb-checkpoint';
import type { ChainedEvent } from './esdb-event.mapping';

const PAGE = 4096;

interface StreamWalk {
  next: number;
  prev: Buffer;
  /** Some event of the stream carried a chain hash: every later one must. */
  chained: boolean;
}

export interface EsdbVerifyOptions {
  readonly publicKey?: KeyObject;
  /** `verify --report`: walk only up to this $all position, and check only the checkpoints at or below it. */
  readonly upTo?: number;
}

/**
 * Walks an EventStoreDB log's $all feed in order, recomputing each stream's chain, and checks the
 * signed checkpoints on the way; stops at the first fault: a revision skipped (missing), a revision
 * out of order (reordered), an event without a hash after chained ones (inserted), a hash that does
 * not match (altered), or a checkpoint whose signature, predecessor or heads do not match.
 * Events at the start of a stream that carry no hash were written before the chain and are walked
 * as such (the stream's chain starts after them).
 */
export async function verifyEsdbLog(
  source: CheckpointSource,
  options: EsdbVerifyOptions = {},
): Promise<ChainVerification> {
  const upTo = options.upTo ?? Number.POSITIVE_INFINITY;
  const checkpoints = (await source.readCheckpoints()).filter((c) => c.position <= upTo);
  const walk = new EsdbLogWalk(checkpoints, options.publicKey);
  for (let after = 0; ;) {
    const page = await source.readAllChained({ after, maxCount: PAGE });
    for (const e of page) {
      if (e.position > upTo) break;
      if (!walk.step(e)) return walk.result();
    }
    if (page.length < PAGE || page[page.length - 1]!.position > upTo) break;
    after = page[page.length - 1]!.position;
  }
  walk.finish();
  return walk.result();
}

class EsdbLogWalk {
  private readonly streams = new Map<string, StreamWalk>();
  /** Heads that moved since the last checkpoint passed. */
  private moved = new Map<string, StreamHead>();
  private previous = FIRST_PREVIOUS;
  private next = 0;
  private walked = 0;
  private head = 0;
  private fault: ChainFault | null = null;

  constructor(
    private readonly checkpoints: readonly EsdbCheckpoint[],
    private readonly publicKey: KeyObject | undefined,
  ) {}

  /** False once a fault is found. */
  step(e: ChainedEvent): boolean {
    for (; this.next < this.checkpoints.length && this.checkpoints[this.next]!.position < e.position; this.next++) {
      if (!this.checkpoint(this.checkpoints[this.next]!)) return false;
    }
    const s = this.streams.get(e.streamId) ?? { next: 0, prev: chainPredecessor(null), chained: false };
    const at = `stream ${e.streamId} revision ${e.revision}`;
    if (e.revision !== s.next) {
      const kind = e.revision > s.next ? 'missing' : 'reordered';
      return this.failed(e.position, kind, `${at} where revision ${s.next} was due`);
    }
    if (e.chainHash === null) {
      if (s.chained)
        return this.failed(e.position, 'inserted', `${at} carries no chain hash: not written by the ledger`);
    } else {
      const hash = esdbChainStep(s.prev, e);
      if (hash.toString('hex') !== e.chainHash)
        return this.failed(e.position, 'altered', `${at}: its content does not match its chain hash`);
      s.prev = hash;
      s.chained = true;
    }
    s.next += 1;
    this.streams.set(e.streamId, s);
    this.moved.set(e.streamId, { revision: e.revision, hash: e.chainHash });
    this.walked += 1;
    this.head = e.position;
    return true;
  }

  /** The checkpoints after the last event: each must still match the log's end. */
  finish(): void {
    for (; this.fault === null && this.next < this.checkpoints.length; this.next++)
      this.checkpoint(this.checkpoints[this.next]!);
  }

  private checkpoint(c: EsdbCheckpoint): boolean {
    const at = `checkpoint of ${c.takenAt} (position ${c.position})`;
    if (this.publicKey && !verifyEsdbCheckpointSignature(c, this.publicKey))
      return this.failed(c.position, 'checkpoint', `${at}: the signature does not match`);
    if (c.previous !== this.previous)
      return this.failed(c.position, 'checkpoint', `${at}: it does not chain to the checkpoint before it`);
    if (c.streams !== this.moved.size || c.headsDigest !== headsDigest(this.moved)) {
      const detail = `${at}: the stream heads recomputed from the log differ from the signed ones: an event at or before it was changed, removed or inserted and the hashes rewritten`;
      return this.failed(c.position, 'checkpoint', detail);
    }
    this.previous = esdbCheckpointHash(c);
    this.moved = new Map();
    return true;
  }

  private failed(position: number, kind: ChainFault['kind'], detail: string): false {
    this.fault = { position, kind, detail };
    return false;
  }

  result(): ChainVerification {
    const heads = new Map(
      [...this.streams].map(([id, s]) => [id, { revision: s.next - 1, hash: s.prev.toString('hex') }]),
    );
    return {
      ok: this.fault === null,
      events: this.walked,
      head: this.head,
      headHash: headsDigest(heads),
      checkpoints: this.checkpoints.length,
      signaturesChecked: this.publicKey !== undefined,
      fault: this.fault,
    };
  }
}
