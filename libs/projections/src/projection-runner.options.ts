import type { EventStore, SubscriptionState, UpcasterRegistry } from '@ihl/event-store';
import type { Projection } from './projection';

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  /** SQLite file of the read models (disposable: rebuilt from the log at will). */
  readonly file: string;
  readonly projections: readonly Projection[];
  /** Brings stored events to their latest shape before any projection sees them (default: none registered). */
  readonly upcasters?: UpcasterRegistry;
  /**
   * Most events applied in one transaction (default 1000). Catch-up and rebuilds fill whole
   * batches; live events are applied as soon as the feed has nothing more to hand over.
   */
  readonly batchSize?: number;
  /**
   * Once start() has resolved: the CPU time, in ms, one transaction of live events should hold the
   * event loop (default: none, whole batches). Live events are then applied in slices sized from the
   * pace of the slice before (at least 64 events, at most `batchSize`), with a turn of the event loop
   * between slices, so that a burst of writes (batches of records) does not hold requests back for a
   * whole batch. A serving process sets it; a replay from 0, the first catch-up and a backlog of a
   * whole batch (the read models at least `batchSize` events behind) are not sliced.
   */
  readonly liveSliceMs?: number;
  /**
   * WAL pages between checkpoints while catching up or replaying (default 100,000, i.e. up to
   * ~400 MB of WAL on disk for a while; live it is SQLite's 1,000). A batch rewrites every index
   * page it touches; checkpointing rarely writes a page touched by many batches back once.
   */
  readonly catchUpWalPages?: number;
  /**
   * WAL pages between automatic checkpoints once caught up (default 1000, SQLite's). Erasures do not
   * depend on it: the batch that applied one truncates the WAL once it has committed.
   */
  readonly liveWalPages?: number;
  /**
   * Replay from position 0 in bulk (default true): records appended without their indexes (built
   * at the end), sums gathered in memory and written at the end; nothing is published until it is
   * all in, and an interrupted bulk replay starts over. `false` replays batch by batch, as a
   * catch-up from a checkpoint does.
   */
  readonly bulkRebuild?: boolean;
  /**
   * In a bulk replay, the projections that can (`Projection.bulk`) keep their tables in
   * memory and only the versions and final rows are written (bulk-tables.ts); `false` writes each
   * event's rows through SQL as live (the bench's comparison).
   */
  readonly bulkInMemory?: boolean;
  /**
   * Told when the runner stops because an event could not be applied after start() resolved (with
   * `restart`, each time, before the next try is scheduled).
   */
  readonly onError?: (error: Error) => void;
  /**
   * After start() has resolved, a failure (a write refused by a full disk, a feed that broke, a
   * projection that threw) restarts the runner from its checkpoint after a wait that doubles from
   * `initialDelayMs` (default 1,000) up to `maxDelayMs` (default 60,000), each drawn between half and
   * all of it; it goes on until it has caught up again. Meanwhile the read models keep answering as
   * of the checkpoint, and `state` says why they do not move. Default: no restart (a rebuild fails).
   */
  readonly restart?: { readonly initialDelayMs?: number; readonly maxDelayMs?: number };
  /**
   * Told when, after an erasure, the WAL could still not be truncated after the last retry (a
   * reader kept it): it still holds the erased rows' old pages until a later batch or the close
   * truncates it. Default: a process warning.
   */
  readonly onWalNotScrubbed?: (error: Error) => void;
  /** Waits before each new try to truncate the WAL after an erasure (default 50 ms, 250 ms, 1 s, 5 s). */
  readonly walScrubRetryMs?: readonly number[];
}

/**
 * Where the runner stands: `catching-up` until start() resolves, `running` while it follows the log
 * (`feed`: the subscription's own state, e.g. EventStoreDB reconnecting), `restarting` after a
 * failure while a restart is pending or catching up, `failed` (no restart asked for), `stopped`.
 */
export type ProjectionRunnerState =
  | { readonly status: 'catching-up' | 'stopped' }
  | { readonly status: 'running'; readonly feed?: SubscriptionState }
  | {
      readonly status: 'restarting' | 'failed';
      readonly error: string;
      /** Failures since the runner last caught up. */
      readonly failures: number;
      /** ISO-8601 instant of the first of them. */
      readonly since: string;
    };

export class ReadModelNotCaughtUpError extends Error {
  override readonly name = 'ReadModelNotCaughtUpError';
  constructor(
    readonly wanted: number,
    readonly reached: number,
  ) {
    super(`the read models have reached position ${reached}, not yet ${wanted}`);
  }
}
