import type { KeyObject } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { revisionSatisfies, validateAppend } from '../append-validation';
import { EventIdConflictError, EventStoreClosedError, WrongExpectedRevisionError } from '../event-store.errors';
import type {
  AppendResult,
  EventStore,
  LedgerCheckpoint,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  StreamAppend,
  StreamCondition,
} from '../event-store.port';
import type { ChainVerification } from '../sqlite/chain.verifier';
import { AppendCounters, type AppendStats } from './esdb-append-stats';
import { ChainTails, chainAppend, type ChainTail } from './esdb-chain';
import { verifyEsdbLog, type EsdbVerifyOptions } from './esdb-chain.verifier';
import {
  CHECKPOINT_STREAM,
  scheduleEsdbCheckpoints,
  takeEsdbCheckpoint,
  toEsdbCheckpoint,
  toLedgerCheckpoint,
  EsdbCheckpointCache,
  type EsdbCheckpoint,
} from './esdb-checkpoint';
import {
  CHAIN_KEY,
  SCHEMA_KEY,
  toChainedEvent,
  toPosition,
  toStoredEvent,
  type ChainedEvent,
} from './esdb-event.mapping';
import { unavailableOr } from './esdb-unavailable';
import { EsdbSubscription, type ResubscribeDelays } from './esdb.subscription';

export interface EsdbEventStoreOptions {
  /** e.g. `esdb://node1:2113,node2:2113,node3:2113?tls=true` or `kurrentdb://…` (rewritten to esdb://). */
  readonly connectionString: string;
  /**
   * How far the servers' clocks may step back (NTP corrections, a new leader with another clock);
   * headPositionAt is exact within it. Default 5 minutes.
   */
  readonly maxClockStepBackMs?: number;
  /**
   * A subscription whose connection drops subscribes again from the last event it delivered,
   * after a wait that doubles from `initialDelayMs` (default 250) up to `maxDelayMs` (default
   * 10,000), each drawn between half and all of it so that many clients do not come back at once.
   */
  readonly resubscribe?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /** Benchmarks only: false appends without the hash chain (the chain-free baseline). Default true. */
  readonly hashChain?: boolean;
  /** Signed checkpoints taken by this process every `everyMs` (none without). */
  readonly checkpoints?: { readonly key: KeyObject; readonly everyMs: number };
}

const DEFAULT_MAX_CLOCK_STEP_BACK_MS = 5 * 60_000;
const BACKWARDS_PAGE = 512;
const RESUBSCRIBE_INITIAL_MS = 250;
const RESUBSCRIBE_MAX_MS = 10_000;
/** Appends with 'any' / 'stream_exists' chain on the tail they read; tries when others keep appending first. */
const TAIL_RETRIES = 100;

/**
 * EventStoreDB / KurrentDB adapter. Global positions are commit positions (byte offsets in the
 * server's log; commit === prepare for events written by this client), so they are not dense.
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();
  private readonly maxClockStepBackMs: number;
  private readonly resubscribe: ResubscribeDelays;
  private readonly stopCheckpoints: () => void;
  private readonly hashChain: boolean;
  private readonly tails = new ChainTails();
  private readonly counters = new AppendCounters();
  private readonly checkpointCache = new EsdbCheckpointCache(async (fromRevision) =>
    (await this.readStreamMapped(CHECKPOINT_STREAM, { fromRevision }, (r) => ({ c: toEsdbCheckpoint(r) }))).map(
      (x) => x.c,
    ),
  );

  constructor(options: EsdbEventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(
      options.connectionString.replace(/^kurrent(db)?:\/\//, 'esdb://'),
    );
    this.maxClockStepBackMs = options.maxClockStepBackMs ?? DEFAULT_MAX_CLOCK_STEP_BACK_MS;
    const initialDelayMs = Math.max(1, options.resubscribe?.initialDelayMs ?? RESUBSCRIBE_INITIAL_MS);
    this.resubscribe = {
      initialDelayMs,
      maxDelayMs: Math.max(initialDelayMs, options.resubscribe?.maxDelayMs ?? RESUBSCRIBE_MAX_MS),
    };
    this.hashChain = options.hashChain ?? true;
    const cp = options.checkpoints;
    this.stopCheckpoints = cp ? scheduleEsdbCheckpoints(() => this.signCheckpoint(cp.key), cp.everyMs) : () => {};
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    this.assertOpen();
    validateAppend(streamId, events, expectedRevision);
    const started = process.hrtime.bigint();
    try {
      const result = await this.appendChained(streamId, events, expectedRevision);
      this.counters.succeeded(events.length, Number(process.hrtime.bigint() - started) / 1e9);
      return result;
    } catch (e) {
      this.counters.failed(e);
      throw e;
    }
  }

  /** Appends, events and refused appends since this store opened (the metrics read them when scraped). */
  appendStats(): AppendStats {
    return this.counters.stats();
  }

  /** Calls `listener` with each landed append's duration in seconds (the metrics' histogram). */
  observeAppends(listener: (seconds: number) => void): () => void {
    return this.counters.observe(listener);
  }

  private async appendChained(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    try {
      for (let attempt = 1; ; attempt++) {
        const tail = this.hashChain
          ? (this.tails.knownTail(streamId, expectedRevision) ??
            (await this.tails.tailFor(streamId, expectedRevision, events[0]!.eventId, (id, o) =>
              this.readStreamMapped(id, o, toChainedEvent),
            )))
          : { expected: expectedRevision, prev: null, first: 0 };
        try {
          return await this.appendAfter(streamId, events, tail);
        } catch (e) {
          // 'any' / 'stream_exists' went as the tail's exact revision: another append came first, chain on it.
          const converted = tail.expected !== expectedRevision;
          if (!(e instanceof WrongExpectedVersionError) || !converted || attempt >= TAIL_RETRIES) throw e;
          // Writers racing on one stream (a project's gate): spread the retries apart.
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 5)));
        }
      }
    } catch (e) {
      if (e instanceof WrongExpectedVersionError) {
        const actual = e.actualVersion === NO_STREAM ? null : Number(e.actualVersion);
        throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
      }
      throw unavailableOr(e);
    }
  }

  private async appendAfter(streamId: string, events: readonly NewEvent[], tail: ChainTail): Promise<AppendResult> {
    const hashes = tail.prev ? chainAppend(tail.prev, streamId, tail.first, events) : null;
    const result = await this.client.appendToStream(
      streamId,
      events.map((e, i) =>
        jsonEvent({
          id: e.eventId,
          type: e.type,
          data: e.data as never,
          metadata: {
            ...(e.metadata ?? {}),
            [SCHEMA_KEY]: e.schemaVersion ?? 1,
            ...(hashes ? { [CHAIN_KEY]: hashes[i]! } : {}),
          } as never,
        }),
      ),
      { expectedRevision: toEsdbExpected(tail.expected) },
    );
    const revision = Number(result.nextExpectedRevision);
    if (hashes && revision === tail.first + events.length - 1) this.tails.remember(streamId, tail, revision, hashes);
    // One event: the answer's position is that event's. Several: the server answers with one
    // position per append, so read the last event's own position for read-your-writes.
    if (events.length === 1 && result.position) return { streamId, revision, position: Number(result.position.commit) };
    const [last] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!last || last.eventId !== events[events.length - 1]!.eventId) {
      throw new EventIdConflictError(streamId, events[events.length - 1]!.eventId);
    }
    return { streamId, revision, position: last.position };
  }

  /** EventStoreDB (client 6) has no multi-stream transaction: parts are appended one by one. */
  readonly atomicMultiStream = false;

  async appendMany(
    appends: readonly StreamAppend[],
    conditions: readonly StreamCondition[] = [],
  ): Promise<AppendResult[]> {
    for (const a of appends) validateAppend(a.streamId, a.events, a.expectedRevision);
    // No transaction across streams here: the conditions are checked just before the appends, so a
    // write that lands in between is not caught (atomicMultiStream is false; docs/event-store.md says so).
    for (const c of conditions) {
      const actual = await this.streamRevision(c.streamId);
      if (!revisionSatisfies(c.expectedRevision, actual))
        throw new WrongExpectedRevisionError(c.streamId, c.expectedRevision, actual);
    }
    const results: AppendResult[] = [];
    for (const a of appends) results.push(await this.append(a.streamId, a.events, a.expectedRevision));
    return results;
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    // What a decision reads is the tail its append chains on: kept, so the append reads nothing more.
    return this.readStreamMapped(streamId, options, (r) => this.tails.seen(toChainedEvent(r)));
  }

  private async readStreamMapped<T>(
    streamId: string,
    options: ReadStreamOptions,
    map: (r: ResolvedEvent) => T | null,
  ): Promise<T[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const out: T[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      });
      for await (const resolved of read) {
        const e = map(resolved);
        if (e) out.push(e);
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw unavailableOr(e);
    }
    return out;
  }

  async streamRevision(streamId: string): Promise<number | null> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last ? last.revision : null;
  }

  readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return this.readAllMapped(options, toStoredEvent);
  }

  /** As readAll, each event with the chain hash it carries (for `ledger verify` and checkpoints). */
  readAllChained(options: ReadAllOptions = {}): Promise<ChainedEvent[]> {
    return this.readAllMapped(options, toChainedEvent);
  }

  private async readAllMapped<T extends { readonly position: number }>(
    options: ReadAllOptions,
    map: (r: AllStreamResolvedEvent) => T | null,
  ): Promise<T[]> {
    this.assertOpen();
    try {
      return await this.readAllPages(options, map);
    } catch (e) {
      throw unavailableOr(e);
    }
  }

  private async readAllPages<T extends { readonly position: number }>(
    options: ReadAllOptions,
    map: (r: AllStreamResolvedEvent) => T | null,
  ): Promise<T[]> {
    const backwards = options.direction === 'backwards';
    const bound = backwards ? options.before : options.after;
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const out: T[] = [];
    // The server's position is inclusive and its feed holds system events, so read in pages, each
    // drained to its end (an abandoned read keeps the gRPC call open), and trim.
    let edge = bound ?? (backwards ? Number.MAX_SAFE_INTEGER : -1);
    let from: ReadPosition = bound === undefined || bound <= 0 ? (backwards ? END : START) : toPosition(bound);
    for (;;) {
      const pageSize = Math.min(Math.max(max - out.length + 8, 64), 4096);
      let received = 0;
      let lastRaw: Position | undefined;
      for await (const resolved of this.client.readAll({
        direction: backwards ? BACKWARDS : FORWARDS,
        fromPosition: from,
        maxCount: pageSize,
      })) {
        received += 1;
        lastRaw = resolved.event?.position ?? lastRaw;
        const e = map(resolved);
        if (!e || out.length >= max) continue;
        if (backwards ? e.position >= edge : e.position <= edge) continue;
        out.push(e);
        edge = e.position;
      }
      if (received < pageSize || out.length >= max || !lastRaw) return out;
      from = lastRaw;
    }
  }

  async headPosition(): Promise<number> {
    const [last] = await this.readAll({ direction: 'backwards', maxCount: 1 });
    return last ? last.position : 0;
  }

  /**
   * The server has no index by time, and bisecting positions would be exact only with clocks that
   * never step back (and would probe offsets that are no event's position), so this reads the feed
   * backwards from the head until an event recorded at or before
   * `instant - maxClockStepBackMs`: no event before that one can have been recorded after `instant`
   * unless a clock stepped back further. Exact within that bound; beyond it, the answer may be a
   * later position. Cost: every event recorded after that point is read (a gRPC read per 512), so
   * cheap for recent instants and a full scan for one before the log began.
   */
  async headPositionAt(instant: Date): Promise<number> {
    this.assertOpen();
    const at = instant.getTime();
    if (Number.isNaN(at)) throw new RangeError('headPositionAt needs a valid instant');
    const settled = at - this.maxClockStepBackMs;
    let head: number | null = null;
    let recordedAfter = false; // some event seen so far was recorded after the instant
    let answer = 0; // the event just before the earliest such event seen, once it is known
    let before: number | undefined;
    for (;;) {
      const page = await this.readAll({ direction: 'backwards', before, maxCount: BACKWARDS_PAGE });
      for (const e of page) {
        head ??= e.position;
        const t = Date.parse(e.recordedAt);
        if (t > at) {
          recordedAfter = true;
          answer = 0;
        } else if (recordedAfter && answer === 0) answer = e.position;
        if (t <= settled) return recordedAfter ? answer : (head ?? 0);
        before = e.position;
      }
      if (page.length < BACKWARDS_PAGE) return recordedAfter ? answer : (head ?? 0);
    }
  }

  /** The signed checkpoints kept in CHECKPOINT_STREAM, oldest first. */
  readCheckpoints(): Promise<EsdbCheckpoint[]> {
    return this.readStreamMapped(CHECKPOINT_STREAM, {}, toEsdbCheckpoint);
  }

  /** The port's lookup for exports: the newest checkpoint taken at or below a $all position. */
  async checkpointAtOrBelow(position: number): Promise<LedgerCheckpoint | null> {
    const c = await this.checkpointCache.atOrBelow(position);
    return c ? toLedgerCheckpoint(c) : null;
  }

  async listCheckpoints(): Promise<LedgerCheckpoint[]> {
    return (await this.checkpointCache.all()).map(toLedgerCheckpoint);
  }

  /** The port's signing (the admin route): as signCheckpoint. */
  async takeCheckpoint(privateKey: KeyObject): Promise<LedgerCheckpoint | null> {
    const c = await this.signCheckpoint(privateKey);
    return c ? toLedgerCheckpoint(c) : null;
  }

  /** Signs the heads of the streams that moved since the last checkpoint (docs/tamper-evidence.md). */
  async signCheckpoint(privateKey: KeyObject, now = new Date()): Promise<EsdbCheckpoint | null> {
    this.assertOpen();
    try {
      return await takeEsdbCheckpoint(this.client, this, privateKey, now);
    } catch (e) {
      throw unavailableOr(e);
    }
  }

  /** `ledger verify` on EventStoreDB: every stream's chain and the checkpoints, up to the first fault. */
  verifyChain(options: EsdbVerifyOptions = {}): Promise<ChainVerification> {
    this.assertOpen();
    return verifyEsdbLog(this, options);
  }

  /** See EsdbSubscription: resubscribes after a lost connection, with backoff. */
  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const subscription = new EsdbSubscription(this.client, options, this.resubscribe, (s) =>
      this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopCheckpoints();
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

function toEsdbExpected(e: ExpectedRevision): AppendExpectedRevision {
  if (e === 'any') return ANY;
  if (e === 'no_stream') return NO_STREAM;
  if (e === 'stream_exists') return STREAM_EXISTS;
  return BigInt(e);
}
