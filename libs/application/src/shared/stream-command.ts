import { WrongExpectedRevisionError, type EventStore, type StoredEvent } from '@ihl/event-store';
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
}

export const MAX_CONFLICT_RETRIES = 3;

function answer(streamId: string, e: StoredEvent | undefined): WriteResult {
  return { streamId, revision: e?.revision ?? -1, position: e?.position ?? 0, changed: false };
}

/**
 * Read the stream, fold, decide, append with the exact revision read. On a concurrent writer the
 * whole cycle is retried a bounded number of times, so decisions always see the latest state.
 * A repeated Idempotency-Key is answered with the original result without deciding again.
 */
export async function executeOnStream<S, E extends DomainEvent>(
  deps: { store: EventStore; clock: Clock; ids: IdGenerator },
  ctx: RequestContext,
  spec: StreamCommandSpec<S, E>,
): Promise<WriteResult> {
  for (let attempt = 0; ; attempt++) {
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
    const now = deps.clock.now();
    const events = decided.map((e) => {
      const eventId = deps.ids.newId();
      return {
        eventId,
        type: e.type,
        schemaVersion: 1,
        data: e.data as never,
        metadata: eventMetadata(ctx, eventId, now),
      };
    });
    try {
      const r = await deps.store.append(spec.streamId, events, last ? last.revision : 'no_stream');
      return { streamId: r.streamId, revision: r.revision, position: r.position, changed: true };
    } catch (e) {
      // With If-Match the client decided on what it saw: a concurrent change is its to resolve.
      if (
        e instanceof WrongExpectedRevisionError &&
        ctx.expectedRevision === undefined &&
        attempt < MAX_CONFLICT_RETRIES
      )
        continue;
      if (e instanceof WrongExpectedRevisionError && ctx.expectedRevision !== undefined) {
        throw new PreconditionFailedError(ctx.expectedRevision, e.actual ?? -1);
      }
      throw e;
    }
  }
}
