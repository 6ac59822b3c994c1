import {
  backoffDelay,
  type AppendResult,
  type ExpectedRevision,
  type StoredEvent,
  type StreamAppend,
  type StreamCondition,
} from '@ihl/event-store';
import type { GatePass } from './period-gate';
import type { RequestContext } from './request-context';
import type { WriteResult } from './write-result';

export interface DomainEvent {
  readonly type: string;
  readonly data: unknown;
}

/** What a command decides on one stream; StreamWriter does the reading, checking and appending. */
export interface StreamSpec<S, E extends DomainEvent> {
  readonly streamId: string;
  /** Folds the stream's events, already upcast to the domain's latest shape. */
  readonly fold: (events: readonly E[]) => S;
  readonly decide: (state: S) => E[];
  /**
   * Runs first, before Idempotency-Key and If-Match are looked at, so that a record the actor may
   * not see answers "not found" and never leaks its revision or keys.
   */
  readonly guard?: (state: S) => void;
  /** When a retry changes nothing, which event answers: the record's first (creations) or its last. */
  readonly noopAnswer?: 'first' | 'last';
  /**
   * Appends that commit with the decided events or not at all (the recipient's profile): never a
   * record without its profile, nor a "failed" answer for a record that was written.
   */
  readonly alongside?: (state: S, decided: readonly E[]) => Promise<readonly StreamAppend[]>;
  /** Other streams the decision read (at the revisions read): the append commits only if none moved. */
  readonly conditions?: readonly StreamCondition[];
  /** A period lock: its writes in flight land first (see PeriodGate). */
  readonly lockGate?: { readonly projectCode: string; readonly periodId: string };
}

/** A stream's decided events, before they get ids and metadata, and the revision they were decided at. */
export interface PendingAppend<S, E extends DomainEvent> {
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
  readonly state: S;
  readonly decided: readonly E[];
}

/** Either the answer without a write (a replay, a retry that changes nothing) or what to append. */
export type StreamDecision<S, E extends DomainEvent> =
  { readonly answer: WriteResult } | { readonly pending: PendingAppend<S, E> };

/** The request's own preconditions on the record's stream: Idempotency-Key replay and If-Match. */
export type RequestChecks = Pick<RequestContext, 'idempotencyKey' | 'fingerprint' | 'expectedRevision' | 'dryRun'>;

/** One attempt of a write: its answer without appending, or the appends to commit as one unit. */
export type WriteAttempt<R> =
  | { readonly answer: R }
  | {
      readonly appends: readonly StreamAppend[];
      /** Other streams the decision read, at the revisions read (the project: a lock). */
      readonly conditions: readonly StreamCondition[];
      /** The record whose revision the client named (If-Match): its conflict is the client's to resolve. */
      readonly ifMatch?: { readonly streamId: string; readonly expected: number };
      /** Where a lock and the writes into its project meet, on a store without multi-stream commits. */
      readonly gate?: GatePass;
      readonly result: (written: readonly AppendResult[]) => R;
    };

/** Concurrent writers to the same streams (a busy person, a project lock): tries before giving up. */
export const MAX_CONFLICT_RETRIES = 40;

/** The answer of a write that appended nothing: the record's stream at `e` (-1 when it has none). */
export function unchanged(streamId: string, e: StoredEvent | undefined): WriteResult {
  return { streamId, revision: e?.revision ?? -1, position: e?.position ?? 0, changed: false };
}

/** A few milliseconds, growing with the attempts, with jitter: writers that collided spread out. */
export function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt + 1, 1, 50)));
}
