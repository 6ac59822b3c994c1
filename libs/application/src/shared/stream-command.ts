import {
  WrongExpectedRevisionError,
  backoffDelay,
  type EventStore,
  type StoredEvent,
  type StreamAppend,
  type StreamCondition,
} from '@ihl/event-store';
import type { Clock, IdGenerator } from './ports';
import { eventMetadata, type RequestContext } from './request-context';
import { IdempotencyConflictError, PreconditionFailedError } from './write-errors';
import type { WriteResult } from './write-result';

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

export interface StreamCommandSpec<S, E extends DomainEvent> {
  readonly streamId: string;
  readonly fold: (events: readonly E[]) => S;
  readonly decide: (state: S, stored: readonly StoredEvent[]) => E[];
  /**
   * Runs first, before Idempotency-Key and If-Match are looked at, so that a record the actor may
   * not see answers "not found" and never leaks its revision or keys.
   */
  readonly guard?: (state: S) => void;
  /** Maps stored events to the domain's latest shape (upcasting happens here). */
  readonly toDomain: (stored: StoredEvent) => E;
  /** When a retry changes nothing, which event answers: the record's first (creations) or its last. */
  readonly noopAnswer?: 'first' | 'last';
  /**
   * Reads what the decision depends on beyond its own stream (the project: its locks, partners,
   * envelope) at the start of every attempt, and names those streams at the revisions read: the
   * append commits only if none of them moved meanwhile, so a lock and a submission cannot both
   * land on either side of the check.
   */
  readonly before?: () => Promise<readonly StreamCondition[]>;
  /**
   * Appends that commit with the decided events or not at all (the recipient's profile): never a
   * record without its profile, nor a "failed" answer for a record that was written.
   */
  readonly alongside?: (state: S, decided: readonly E[]) => Promise<readonly StreamAppend[]>;
}

/** Concurrent writers to the same streams (a busy person, a project lock): tries before giving up. */
export const MAX_CONFLICT_RETRIES = 40;

function answer(streamId: string, e: StoredEvent | undefined): WriteResult {
  return { streamId, revision: e?.revision ?? -1, position: e?.position ?? 0, changed: false };
}

/**
 * Read the stream, fold, decide, append with the exact revision read — together with the appends
 * that belong to the decision and the revisions of the other streams it read, in one commit. On a
 * concurrent writer the whole cycle is retried (bounded, with a short random pause so that many
 * writers to one stream do not retry in lockstep), so decisions always see the latest state.
 * A repeated Idempotency-Key is answered with the original result without deciding again.
 */
export async function executeOnStream<S, E extends DomainEvent>(
  deps: { store: EventStore; clock: Clock; ids: IdGenerator },
  ctx: RequestContext,
  spec: StreamCommandSpec<S, E>,
): Promise<WriteResult> {
  for (let attempt = 0; ; attempt++) {
    const conditions = (await spec.before?.()) ?? [];
    const stored = await deps.store.readStream(spec.streamId);
    const state = spec.fold(stored.map(spec.toDomain));
    spec.guard?.(state);
    if (ctx.idempotencyKey) {
      const earlier = stored.filter((e) => e.metadata.idempotencyKey === ctx.idempotencyKey);
      if (earlier.length > 0) {
        const stored = earlier[0]!.metadata.requestHash;
        const storedHash = typeof stored === 'string' ? stored : undefined;
        if (!(ctx.fingerprint ? ctx.fingerprint.matches(storedHash) : storedHash === undefined))
          throw new IdempotencyConflictError(ctx.idempotencyKey);
        return answer(spec.streamId, earlier[earlier.length - 1]);
      }
    }
    const last = stored[stored.length - 1];
    if (ctx.expectedRevision !== undefined && (last?.revision ?? -1) !== ctx.expectedRevision) {
      throw new PreconditionFailedError(ctx.expectedRevision, last?.revision ?? -1);
    }
    const decided = spec.decide(state, stored);
    if (decided.length === 0) return answer(spec.streamId, spec.noopAnswer === 'first' ? stored[0] : last);
    const main: StreamAppend = {
      streamId: spec.streamId,
      expectedRevision: last ? last.revision : 'no_stream',
      events: newEvents(deps, ctx, decided),
    };
    try {
      const others = (await spec.alongside?.(state, decided)) ?? [];
      // The main stream last: a store that cannot commit several streams at once (EventStoreDB)
      // then never holds a record whose profile is missing.
      const results = await deps.store.appendMany([...others, main], conditions);
      const r = results[results.length - 1]!;
      const position = Math.max(...results.map((x) => x.position));
      return { streamId: r.streamId, revision: r.revision, position, changed: true };
    } catch (e) {
      if (!(e instanceof WrongExpectedRevisionError)) throw e;
      // With If-Match the client decided on what it saw: a concurrent change of it is its to resolve.
      if (ctx.expectedRevision !== undefined && e.streamId === spec.streamId) {
        throw new PreconditionFailedError(ctx.expectedRevision, e.actual ?? -1);
      }
      if (attempt >= MAX_CONFLICT_RETRIES) throw e;
      await pause(attempt);
    }
  }
}

/** The decided events with their ids and the server's metadata. */
export function newEvents(
  deps: { clock: Clock; ids: IdGenerator },
  ctx: RequestContext,
  decided: readonly DomainEvent[],
): StreamAppend['events'] {
  const now = deps.clock.now();
  return decided.map((e) => {
    const eventId = deps.ids.newId();
    return {
      eventId,
      type: e.type,
      schemaVersion: 1,
      data: e.data as never,
      metadata: eventMetadata(ctx, eventId, now),
    };
  });
}

/** A few milliseconds, growing with the attempts, with jitter: writers that collided spread out. */
export function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt + 1, 1, 50)));
}
