import type { ExpectedRevision } from './event-store.port';

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** null when the stream does not exist. */
    readonly actual: number | null,
  ) {
    super(
      `stream ${streamId}: expected revision ${String(expected)} but the stream is at ${actual === null ? 'no_stream' : actual}`,
    );
  }
}

/** Some but not all of an append's event ids are already stored, or stored elsewhere. */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`event id ${eventId} is already stored and does not match this append to ${streamId}`);
  }
}

export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
}

export class EventStoreClosedError extends Error {
  override readonly name = 'EventStoreClosedError';
  constructor() {
    super('the event store is closed');
  }
}

/**
 * The store's server cannot be reached or does not answer (EventStoreDB down, restarting, without a
 * leader). An append that met it may or may not have been stored: a retry with the same event ids
 * (the same Idempotency-Key) is applied once either way.
 */
export class EventStoreUnavailableError extends Error {
  override readonly name = 'EventStoreUnavailableError';
  constructor(override readonly cause: unknown) {
    super(`the event store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
