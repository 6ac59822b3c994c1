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
  type AppendExpectedRevision,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import { revisionSatisfies, validateAppend } from '../append-validation';
import { EventIdConflictError, EventStoreClosedError, WrongExpectedRevisionError } from '../event-store.errors';
import type {
  AppendResult,
  EventStore,
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
import { SCHEMA_KEY, toPosition, toStoredEvent } from './esdb-event.mapping';
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
}

const DEFAULT_MAX_CLOCK_STEP_BACK_MS = 5 * 60_000;
const BACKWARDS_PAGE = 512;
const RESUBSCRIBE_INITIAL_MS = 250;
const RESUBSCRIBE_MAX_MS = 10_000;

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
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    this.assertOpen();
    validateAppend(streamId, events, expectedRevision);
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((e) =>
          jsonEvent({
            id: e.eventId,
            type: e.type,
            data: e.data as never,
            metadata: { ...(e.metadata ?? {}), [SCHEMA_KEY]: e.schemaVersion ?? 1 } as never,
          }),
        ),
        { expectedRevision: toEsdbExpected(expectedRevision) },
      );
      const revision = Number(result.nextExpectedRevision);
      // One event: the answer's position is that event's. Several: the server answers with one
      // position per append, so read the last event's own position for read-your-writes.
      if (events.length === 1 && result.position)
        return { streamId, revision, position: Number(result.position.commit) };
      const [last] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
      if (!last || last.eventId !== events[events.length - 1]!.eventId) {
        throw new EventIdConflictError(streamId, events[events.length - 1]!.eventId);
      }
      return { streamId, revision, position: last.position };
    } catch (e) {
      if (e instanceof WrongExpectedVersionError) {
        const actual = e.actualVersion === NO_STREAM ? null : Number(e.actualVersion);
        throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
      }
      throw unavailableOr(e);
    }
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

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const out: StoredEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      });
      for await (const resolved of read) {
        const e = toStoredEvent(resolved);
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

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    try {
      return await this.readAllPages(options);
    } catch (e) {
      throw unavailableOr(e);
    }
  }

  private async readAllPages(options: ReadAllOptions): Promise<StoredEvent[]> {
    const backwards = options.direction === 'backwards';
    const bound = backwards ? options.before : options.after;
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const out: StoredEvent[] = [];
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
        const e = toStoredEvent(resolved);
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
