import { WrongExpectedRevisionError, type EventStore, type StoredEvent } from '@ihl/event-store';
import type { Clock, IdGenerator } from './ports';
import { eventMetadata, type RequestContext } from './request-context';
import type { WriteResult } from './write-result';

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

export interface StreamCommandSpec<S, E extends DomainEvent> {
  readonly streamId: string;
  readonly fold: (events: readonly E[]) => S;
  readonly decide: (state: S) => E[];
  /** Maps stored events to the domain's latest shape (upcasting happens here). */
  readonly toDomain: (stored: StoredEvent) => E;
  readonly schemaVersion?: (event: E) => number;
}

export const MAX_CONFLICT_RETRIES = 3;

/**
 * Read the stream, fold, decide, append with the exact revision read. On a concurrent writer the
 * whole cycle is retried a bounded number of times, so decisions always see the latest state.
 */
export async function executeOnStream<S, E extends DomainEvent>(
  deps: { store: EventStore; clock: Clock; ids: IdGenerator },
  ctx: RequestContext,
  spec: StreamCommandSpec<S, E>,
): Promise<WriteResult> {
  for (let attempt = 0; ; attempt++) {
    const stored = await deps.store.readStream(spec.streamId);
    const state = spec.fold(stored.map(spec.toDomain));
    const decided = spec.decide(state);
    const last = stored[stored.length - 1];
    if (decided.length === 0) {
      return { streamId: spec.streamId, revision: last?.revision ?? -1, position: last?.position ?? 0, changed: false };
    }
    const now = deps.clock.now();
    const events = decided.map((e) => {
      const eventId = deps.ids.newId();
      return {
        eventId,
        type: e.type,
        schemaVersion: spec.schemaVersion?.(e) ?? 1,
        data: e.data as never,
        metadata: eventMetadata(ctx, eventId, now),
      };
    });
    try {
      const r = await deps.store.append(spec.streamId, events, last ? last.revision : 'no_stream');
      return { streamId: r.streamId, revision: r.revision, position: r.position, changed: true };
    } catch (e) {
      if (e instanceof WrongExpectedRevisionError && attempt < MAX_CONFLICT_RETRIES) continue;
      throw e;
    }
  }
}
