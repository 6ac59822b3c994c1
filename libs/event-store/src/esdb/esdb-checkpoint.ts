import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import {
  NO_STREAM,
  WrongExpectedVersionError,
  jsonEvent,
  type EventStoreDBClient,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { GENESIS_HASH } from '../chain-hash';
import type { LedgerCheckpoint, ReadAllOptions } from '../event-store.port';
import { keyIdOf } from '../sqlite/checkpoint.signer';
import type { ChainedEvent } from './esdb-event.mapping';

/** Our own system stream: `$` keeps it out of the feed, the read models and the port's readers. */
export const CHECKPOINT_STREAM = '$ihl-checkpoints';
const CHECKPOINT_TYPE = 'LedgerCheckpointTaken';
const PAGE = 4096;

/**
 * A signed checkpoint of an EventStoreDB log: the $all position it was taken at, a digest over the
 * heads (revision and chain hash) of the streams that moved since the previous checkpoint, and that
 * checkpoint's hash, so the checkpoints form a chain of their own. Signed with Ed25519 (the same key
 * as the SQLite log's checkpoints).
 */
export interface EsdbCheckpoint {
  readonly position: number;
  readonly headsDigest: string;
  /** How many stream heads the digest covers. */
  readonly streams: number;
  /** The previous checkpoint's hash (hex; zeros for the first). */
  readonly previous: string;
  readonly takenAt: string;
  readonly keyId: string;
  readonly signature: string;
}

/** A stream's newest event as a checkpoint covers it (hash null: written without a chain hash). */
export interface StreamHead {
  readonly revision: number;
  readonly hash: string | null;
}

/** The signed bytes: a fixed text, so that any Ed25519 tool can check a checkpoint. */
export function esdbCheckpointMessage(c: Omit<EsdbCheckpoint, 'keyId' | 'signature'>): Buffer {
  return Buffer.from(
    `ihl-esdb-checkpoint/1\n${c.position}\n${c.headsDigest}\n${c.streams}\n${c.previous}\n${c.takenAt}\n`,
    'utf8',
  );
}

/** What the next checkpoint chains to. */
export function esdbCheckpointHash(c: EsdbCheckpoint): string {
  return createHash('sha256').update(esdbCheckpointMessage(c)).update(c.signature).digest('hex');
}

export const FIRST_PREVIOUS = GENESIS_HASH.toString('hex');

export function verifyEsdbCheckpointSignature(c: EsdbCheckpoint, publicKey: KeyObject): boolean {
  return verify(null, esdbCheckpointMessage(c), publicKey, Buffer.from(c.signature, 'base64'));
}

/** SHA-256 over the heads in stream order, one JSON line [stream, revision, hash] each. */
export function headsDigest(heads: ReadonlyMap<string, StreamHead>): string {
  const digest = createHash('sha256');
  for (const stream of [...heads.keys()].sort()) {
    const h = heads.get(stream)!;
    digest.update(`${JSON.stringify([stream, h.revision, h.hash])}\n`);
  }
  return digest.digest('hex');
}

/** A checkpoint as stored; fields missing or of another type read as empty, so that its signature fails. */
export function toEsdbCheckpoint(resolved: ResolvedEvent): EsdbCheckpoint | null {
  const e = resolved.event;
  if (!e || e.type !== CHECKPOINT_TYPE || typeof e.data !== 'object' || e.data === null) return null;
  const d: Record<string, unknown> = { ...e.data };
  const text = (k: string) => (typeof d[k] === 'string' ? d[k] : '');
  const count = (k: string) => (typeof d[k] === 'number' ? d[k] : -1);
  return {
    position: count('position'),
    headsDigest: text('headsDigest'),
    streams: count('streams'),
    previous: text('previous'),
    takenAt: text('takenAt'),
    keyId: text('keyId'),
    signature: text('signature'),
  };
}

export interface CheckpointSource {
  readAllChained(options: ReadAllOptions): Promise<ChainedEvent[]>;
  readCheckpoints(): Promise<EsdbCheckpoint[]>;
}

/**
 * Signs the heads that moved since the last checkpoint and appends the checkpoint to
 * CHECKPOINT_STREAM (at the revision read, so two takers cannot both chain on the same one).
 * Answers the last checkpoint when nothing moved; null on an empty log.
 */
export async function takeEsdbCheckpoint(
  client: EventStoreDBClient,
  source: CheckpointSource,
  privateKey: KeyObject,
  now: Date,
): Promise<EsdbCheckpoint | null> {
  const existing = await source.readCheckpoints();
  const last = existing[existing.length - 1];
  const heads = new Map<string, StreamHead>();
  let position = last?.position ?? 0;
  for (let page = await source.readAllChained({ after: position, maxCount: PAGE }); page.length > 0;) {
    for (const e of page) heads.set(e.streamId, { revision: e.revision, hash: e.chainHash });
    position = page[page.length - 1]!.position;
    page = page.length < PAGE ? [] : await source.readAllChained({ after: position, maxCount: PAGE });
  }
  if (heads.size === 0) return last ?? null;
  const unsigned = {
    position,
    headsDigest: headsDigest(heads),
    streams: heads.size,
    previous: last ? esdbCheckpointHash(last) : FIRST_PREVIOUS,
    takenAt: now.toISOString(),
  };
  const checkpoint: EsdbCheckpoint = {
    ...unsigned,
    keyId: keyIdOf(createPublicKey(privateKey)),
    signature: sign(null, esdbCheckpointMessage(unsigned), privateKey).toString('base64'),
  };
  try {
    await client.appendToStream(CHECKPOINT_STREAM, jsonEvent({ type: CHECKPOINT_TYPE, data: { ...checkpoint } }), {
      expectedRevision: existing.length === 0 ? NO_STREAM : BigInt(existing.length - 1),
    });
  } catch (e) {
    // Another replica signed first: its checkpoint stands, and the next one chains on it.
    if (!(e instanceof WrongExpectedVersionError)) throw e;
    const now = await source.readCheckpoints();
    return now[now.length - 1] ?? null;
  }
  return checkpoint;
}

/**
 * Takes a checkpoint every `everyMs` (the api's schedule on EventStoreDB, where several replicas
 * append: by time only, not by a count of this process's appends). A failed attempt is a process
 * warning and is tried again at the next tick. Answers the function that stops it.
 */
export function scheduleEsdbCheckpoints(take: () => Promise<unknown>, everyMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    take()
      .catch((e: unknown) =>
        process.emitWarning(`checkpoint not taken: ${e instanceof Error ? e.message : String(e)}`, 'LedgerCheckpoint'),
      )
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** As the port's LedgerCheckpoint: `hash` holds the heads digest, `esdb` the rest of what was signed. */
export function toLedgerCheckpoint(c: EsdbCheckpoint): LedgerCheckpoint {
  const { position, headsDigest: hash, streams, previous, takenAt, keyId, signature } = c;
  return { position, hash, takenAt, keyId, signature, esdb: { streams, previous } };
}

/** Back from a token's checkpoint (null: a SQLite one). */
export function fromLedgerCheckpoint(c: LedgerCheckpoint): EsdbCheckpoint | null {
  if (!c.esdb) return null;
  const { position, hash: headsDigest, takenAt, keyId, signature } = c;
  return { position, headsDigest, streams: c.esdb.streams, previous: c.esdb.previous, takenAt, keyId, signature };
}

/**
 * The checkpoints read so far, oldest first; each lookup reads only those appended since (a
 * checkpoint never changes once appended, and the stream only grows).
 */
export class EsdbCheckpointCache {
  private read: EsdbCheckpoint[] = [];
  private stored = 0;

  /** `readFrom(revision)`: the stream's events from that revision on, mapped (null: not a checkpoint). */
  constructor(private readonly readFrom: (revision: number) => Promise<(EsdbCheckpoint | null)[]>) {}

  private pending: Promise<readonly EsdbCheckpoint[]> = Promise.resolve([]);

  /** One read at a time: two exports at once must not both append the same new checkpoints. */
  all(): Promise<readonly EsdbCheckpoint[]> {
    const next = this.pending.catch(() => []).then(() => this.readNew());
    this.pending = next;
    return next;
  }

  private async readNew(): Promise<readonly EsdbCheckpoint[]> {
    const fresh = await this.readFrom(this.stored);
    this.stored += fresh.length;
    this.read = [...this.read, ...fresh.filter((c): c is EsdbCheckpoint => c !== null)];
    return this.read;
  }

  async atOrBelow(position: number): Promise<EsdbCheckpoint | null> {
    const all = await this.all();
    for (let i = all.length - 1; i >= 0; i--) if (all[i]!.position <= position) return all[i]!;
    return null;
  }
}
