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
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
  type AllStreamSubscription,
} from '@eventstore/db-client';
import { revisionSatisfies, validateAppend } from '../append-validation';
import { backoffDelay } from '../backoff-delay';
import { EventIdConflictError, EventStoreClosedError, WrongExpectedRevisionError } from '../event-store.errors';
import type {
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  JsonValue,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionState,
  StreamAppend,
  StreamCondition,
} from '../event-store.port';

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

// The port's schema version travels in the event metadata under a reserved key.
const SCHEMA_KEY = '$schemaVersion';
const DEFAULT_MAX_CLOCK_STEP_BACK_MS = 5 * 60_000;
const BACKWARDS_PAGE = 512;
const RESUBSCRIBE_INITIAL_MS = 250;
const RESUBSCRIBE_MAX_MS = 10_000;

/** An error thrown by the subscriber's own handler: it ends the subscription, unlike a lost connection. */
class HandlerFailure {
  constructor(readonly error: unknown) {}
}

/**
 * EventStoreDB / KurrentDB adapter. Global positions are commit positions (byte offsets in the
 * server's log; commit === prepare for events written by this client), so they are not dense.
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();
  private readonly maxClockStepBackMs: number;
  private readonly resubscribe: { readonly initialDelayMs: number; readonly maxDelayMs: number };

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
      throw e;
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
        const e = toStored(resolved);
        if (e) out.push(e);
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
    return out;
  }

  async streamRevision(streamId: string): Promise<number | null> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last ? last.revision : null;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
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
        const e = toStored(resolved);
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

  /**
   * Catch-up then live, one event at a time. A lost connection (the server stopped, a leader
   * changed, the network dropped) does not end it: it subscribes again after the last event it
   * handed over, with backoff, so the handler sees every event once and in order; `state` says
   * `reconnecting` meanwhile. Only an error thrown by the handler, or close(), ends it.
   */
  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    let checkpoint = options.after ?? 0;
    let firedCaughtUp = false;
    let stopped = false;
    let current: AllStreamSubscription | null = null;
    let state: SubscriptionState = { status: 'running' };
    /** Ends the wait before the next try at once (close()). */
    let wake: () => void = () => undefined;

    /** One server subscription from the checkpoint; resolves when its connection is lost. */
    const follow = async (onConfirmed: () => void): Promise<Error> => {
      const sub = this.client.subscribeToAll({
        fromPosition: checkpoint === 0 ? START : toPosition(checkpoint),
        filter: excludeSystemEvents(),
      });
      current = sub;
      // The iterator below reports errors; this keeps one emitted after it has finished from being unhandled.
      sub.on('error', () => undefined);
      sub.on('confirmation', onConfirmed);
      let consumed = 0;
      let caughtUpAt: number | null = null;
      const maybeCaughtUp = () => {
        if (!firedCaughtUp && caughtUpAt !== null && consumed >= caughtUpAt) {
          firedCaughtUp = true;
          options.onCaughtUp?.(checkpoint);
        }
      };
      // The client emits caughtUp when the message arrives; events before it may still be buffered.
      sub.on('caughtUp', () => {
        caughtUpAt = consumed + sub.readableLength;
        maybeCaughtUp();
      });
      try {
        for await (const resolved of sub as AsyncIterable<AllStreamResolvedEvent>) {
          if (stopped) break;
          consumed += 1;
          const e = toStored(resolved);
          // After a resubscription the server starts after the checkpoint; the check keeps it so.
          if (e && e.position > checkpoint) {
            try {
              await options.onEvent(e);
            } catch (error) {
              throw new HandlerFailure(error);
            }
            checkpoint = e.position;
          }
          maybeCaughtUp();
        }
        return new Error('the server ended the subscription');
      } catch (e) {
        if (e instanceof HandlerFailure) throw e;
        return e instanceof Error ? e : new Error(String(e));
      } finally {
        current = null;
        // Ending the iteration does not end the gRPC call under it: cancelled here (a no-op if it ended).
        await sub.unsubscribe().catch(() => undefined);
        sub.destroy();
      }
    };

    const running = (async () => {
      let attempts = 0;
      let since = '';
      while (!stopped) {
        const lost = await follow(() => {
          attempts = 0;
          state = { status: 'running' };
        });
        if (stopped) break;
        attempts += 1;
        if (attempts === 1) since = new Date().toISOString();
        state = { status: 'reconnecting', attempts, lastError: lost.message, since };
        const { initialDelayMs, maxDelayMs } = this.resubscribe;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoffDelay(attempts, initialDelayMs, maxDelayMs));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      state = { status: 'stopped' };
    })().catch((e: unknown) => {
      const error = e instanceof HandlerFailure ? e.error : e;
      const err = error instanceof Error ? error : new Error(String(error));
      state = { status: 'stopped', error: err.message };
      if (!stopped) options.onError?.(err);
    });
    const subscription: Subscription = {
      get state() {
        return state;
      },
      close: async () => {
        stopped = true;
        wake();
        const sub = current as AllStreamSubscription | null;
        if (sub) {
          await sub.unsubscribe();
          sub.destroy();
        }
        await running;
        this.subscriptions.delete(subscription);
      },
    };
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

function toPosition(p: number): Position {
  return { commit: BigInt(p), prepare: BigInt(p) };
}

function toStored(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent | null {
  const r = resolved.event;
  if (!r || r.type.startsWith('$') || r.streamId.startsWith('$')) return null;
  const raw = (r.metadata ?? {}) as Record<string, JsonValue>;
  const { [SCHEMA_KEY]: schemaVersion, ...metadata } = raw;
  const position = 'position' in r && r.position ? Number(r.position.commit) : Number(resolved.commitPosition ?? 0);
  return {
    position,
    streamId: r.streamId,
    revision: Number(r.revision),
    eventId: r.id,
    type: r.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: r.data as JsonValue,
    metadata: metadata as EventMetadata,
    recordedAt: r.created.toISOString(),
  };
}
