import type { KeyObject } from 'node:crypto';

/**
 * The event-store port. Every adapter (embedded SQLite, EventStoreDB/KurrentDB) honours the same
 * contract, checked by one suite in `contract/event-store.contract.ts`.
 *
 * Revisions are 0-based per stream; global positions are opaque, strictly increasing integers
 * (dense in SQLite, byte offsets in EventStoreDB) — never assume density.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type EventMetadata = Readonly<Record<string, JsonValue>>;

export interface NewEvent {
  /** Globally unique id (UUID). Re-appending a stored id is a no-op answered with the original result. */
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion?: number;
  readonly data: JsonValue;
  readonly metadata?: EventMetadata;
}

/**
 * An event as read back. Whatever method hands it over, it is a plain value: its fields, all
 * present, all its own, and nothing that depends on the store being open.
 */
export interface StoredEvent {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonValue;
  readonly metadata: EventMetadata;
  /** ISO-8601 UTC instant at which the store accepted the event. */
  readonly recordedAt: string;
}

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the last event of this append (the stream's revision right after it). */
  readonly revision: number;
  /** Global position of the last event of this append. */
  readonly position: number;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  readonly direction?: Direction;
  /** Exclusive: events strictly after (forwards) or strictly before (backwards) this position. */
  readonly after?: number;
  readonly before?: number;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Checkpoint: the last position already processed; delivery starts strictly after it. */
  readonly after?: number;
  /** Called one event at a time, in global order; the next one waits for the returned promise. */
  readonly onEvent: (event: StoredEvent) => void | Promise<void>;
  /** Called once when the historical part has been delivered and the subscription goes live. */
  readonly onCaughtUp?: (position: number) => void;
  /**
   * Called when the subscription stops because of an error (including one thrown by onEvent). An
   * adapter that resubscribes after a lost connection (EventStoreDB) does not stop for that one.
   */
  readonly onError?: (error: Error) => void;
}

/**
 * Where a subscription stands. `reconnecting`: the connection to the store was lost and the adapter
 * is subscribing again from the last delivered event (with backoff); `stopped`: closed, or ended by
 * an error (then `error` says which).
 */
export type SubscriptionState =
  | { readonly status: 'running' }
  | {
      readonly status: 'reconnecting';
      /** Tries since the connection was lost. */
      readonly attempts: number;
      readonly lastError: string;
      /** ISO-8601 instant the connection was lost. */
      readonly since: string;
    }
  | { readonly status: 'stopped'; readonly error?: string };

export interface Subscription {
  close(): Promise<void>;
  /** Adapters that resubscribe by themselves (EventStoreDB) say where they stand; others need not. */
  readonly state?: SubscriptionState;
}

export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
}

/** A stream a decision read, at the revision it read: the appends commit only if it is still there. */
export interface StreamCondition {
  readonly streamId: string;
  readonly expectedRevision: ExpectedRevision;
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several streams as one unit: all or nothing where the adapter can (SQLite: one
   * transaction). `atomicMultiStream` says whether it can. `conditions` are checked like expected
   * revisions, in the same transaction where the adapter is atomic (else just before, in order):
   * a stream that moved fails the whole unit with WrongExpectedRevisionError.
   */
  appendMany(appends: readonly StreamAppend[], conditions?: readonly StreamCondition[]): Promise<AppendResult[]>;
  readonly atomicMultiStream: boolean;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** The revision of the last event of a stream, or null when it does not exist. */
  streamRevision(streamId: string): Promise<number | null>;
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** Position of the newest event in the global feed (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * The head as it stood at `instant`: the position of the last event of the longest prefix of the
   * global feed whose events were all recorded at or before `instant` (0 when the first event was
   * recorded after it). Clocks can step back, so the feed need not be sorted by `recordedAt`: the
   * prefix ends just before the first event recorded after `instant`, even if later events carry
   * earlier times. So once the log holds an event recorded after `instant`, the answer is final.
   * Comparisons use `recordedAt` as read back (millisecond precision).
   */
  headPositionAt(instant: Date): Promise<number>;
  /**
   * The global feed. Its events are plain values, as those of every other read: every field is
   * an own, enumerable property holding its value, nothing is read from the store later, so a
   * consumer may keep an event, spread it, structuredClone it or read it after close() and gets
   * the same event (the contract checks it on every adapter).
   */
  subscribeToAll(options: SubscribeOptions): Subscription;
  /**
   * The newest signed checkpoint of the log's hash chain at or below a position (null: none); only
   * stores that keep a chain have it (SQLite, EventStoreDB; docs/tamper-evidence.md).
   */
  checkpointAtOrBelow?(position: number): Promise<LedgerCheckpoint | null>;
  /** Signs the chain's head now (null: nothing to sign); only stores that keep a chain have it. */
  takeCheckpoint?(key: KeyObject): LedgerCheckpoint | null | Promise<LedgerCheckpoint | null>;
  /** Every signed checkpoint, oldest first; only stores that keep a chain have it. */
  listCheckpoints?(): Promise<LedgerCheckpoint[]>;
  close(): Promise<void>;
}

/** Injection token for Nest and other containers. */
export const EVENT_STORE = Symbol('EVENT_STORE');

/** A signed statement "the log's first `position` events chain to `hash`", checkable with the public key alone. */
export interface LedgerCheckpoint {
  readonly position: number;
  /** The chain hash of the event at `position`, hex. */
  readonly hash: string;
  readonly takenAt: string;
  /** First 16 hex digits of SHA-256 over the public key (SPKI, DER): which key signed it. */
  readonly keyId: string;
  /** Ed25519 signature over the checkpoint's message, base64. */
  readonly signature: string;
  /**
   * On EventStoreDB (esdb/esdb-checkpoint.ts): `hash` is the digest over the heads that moved, and
   * these complete what was signed, so that the token alone lets a verifier check the signature.
   */
  readonly esdb?: { readonly streams: number; readonly previous: string };
}
