import type Database from 'better-sqlite3';
import { revisionSatisfies, validateAppend } from '../append-validation';
import {
  EventIdConflictError,
  EventStoreClosedError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import type { AppendResult, ExpectedRevision, NewEvent, StreamAppend, StreamCondition } from '../event-store.port';
import { asDiskFull } from './disk-full';
import { EVENT_COLUMNS, type EventRow } from './event-row.mapping';
import { GENESIS_HASH, chainTailReader } from './hash-chain';
import { rowChainHash } from './row-chain-hash';

export interface GroupCommitOptions {
  /** Server clock for recordedAt. */
  readonly clock: () => Date;
  /** Most appends that share one transaction and one fsync. */
  readonly maxBatch: number;
  /** The database file (null in memory): a full disk is reported with it. */
  readonly file: string | null;
  /** Called after each commit with how many appends it held: live subscriptions look for the new events, metrics count. */
  readonly onCommitted: (appends: number) => void;
  /** False only for the benchmark's chain-free baseline: rows are written without a hash. */
  readonly hashChain: boolean;
}

interface SingleAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
}

interface PendingAppend extends SingleAppend {
  /** Set for appendMany: every part commits or none does. */
  readonly parts?: readonly SingleAppend[];
  /** appendMany's conditions: checked in the parts' transaction. */
  readonly conditions?: readonly StreamCondition[];
  readonly resolve: (r: AppendResult | AppendResult[]) => void;
  readonly reject: (e: Error) => void;
}

type Outcome = AppendResult | AppendResult[] | Error;

/**
 * The store's writes. Every append issued in the same event-loop turn joins one IMMEDIATE
 * transaction (one fsync); each runs in its own savepoint, so one refused append (or multi-stream
 * unit) rolls back alone and each caller gets its own answer, only after the commit.
 */
export class GroupCommitWriter {
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private lastPosition: number;
  /** The chain's tail inside the open batch transaction: read at its start, restored when a savepoint rolls back. */
  private tail: { position: number; hash: Buffer } = { position: 0, hash: GENESIS_HASH };
  private readonly counters = { commits: 0, appends: 0, events: 0 };
  private readonly readTail: () => void;
  private readonly stmt;
  private readonly batchTx: Database.Transaction<
    (batch: PendingAppend[], recordedAt: string, outcomes: Outcome[]) => void
  >;

  constructor(
    db: Database.Database,
    private readonly options: GroupCommitOptions,
  ) {
    this.stmt = {
      streamRevision: db.prepare<[string], { revision: number }>('select revision from streams where stream_id = ?'),
      byEventId: db.prepare<[string], { stream_id: string; revision: number; position: number }>(
        'select stream_id, revision, position from events where event_id = ?',
      ),
      insert: db.prepare<[...EventRow, Buffer | null]>(
        `insert into events (${EVENT_COLUMNS}, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertStream: db.prepare(
        'insert into streams (stream_id, revision) values (?, ?) on conflict(stream_id) do update set revision = excluded.revision',
      ),
    };
    this.lastPosition = db.prepare<[], { p: number | null }>('select max(position) as p from events').get()?.p ?? 0;
    this.batchTx = this.buildBatchTransaction(db);
    const readChainTail = chainTailReader(db);
    this.readTail = () => {
      const t = readChainTail();
      // A foreign row without a hash: chain on from genesis bytes; verify reports that row first anyway.
      this.tail = { position: t.position, hash: t.hash ?? GENESIS_HASH };
    };
  }

  /** The newest position this writer knows of: the file's head at opening, then its own commits. */
  get head(): number {
    return this.lastPosition;
  }

  append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    try {
      validateAppend(streamId, events, expectedRevision);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.enqueue({ streamId, events, expected: expectedRevision, resolve: resolve as (r: unknown) => void, reject });
    });
  }

  appendMany(appends: readonly StreamAppend[], conditions: readonly StreamCondition[] = []): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    try {
      validateMany(appends);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const parts = appends.map((a) => ({ streamId: a.streamId, events: a.events, expected: a.expectedRevision }));
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.enqueue({ ...parts[0]!, parts, conditions, resolve: resolve as (r: unknown) => void, reject });
    });
  }

  /** Committed write transactions (one fsync each), appends and events since opening. */
  stats(): { commits: number; appends: number; events: number } {
    return { ...this.counters };
  }

  /** Commits what is queued, then refuses further appends. */
  close(): void {
    if (this.queue.length > 0) this.flush();
    this.closed = true;
  }

  private enqueue(p: PendingAppend): void {
    this.queue.push(p);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // Everything enqueued before the next turn of the event loop shares one transaction.
      setImmediate(() => this.flush());
    }
  }

  /** Runs queued appends in one IMMEDIATE transaction (one fsync); each in a savepoint so one failure does not sink the rest. */
  private flush(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      const outcomes: Outcome[] = [];
      const recordedAt = this.options.clock().toISOString();
      try {
        this.batchTx.immediate(batch, recordedAt, outcomes);
        this.counters.commits += 1;
        this.counters.appends += batch.length;
      } catch (e) {
        // Nothing of this batch was committed: every caller learns it (a full disk as such).
        const failure = asDiskFull(e, this.options.file) as Error;
        for (const req of batch) req.reject(failure);
        continue;
      }
      this.answer(batch, outcomes);
      this.options.onCommitted(batch.length);
    }
  }

  private answer(batch: readonly PendingAppend[], outcomes: readonly Outcome[]): void {
    batch.forEach((req, i) => {
      const o = outcomes[i]!;
      if (o instanceof Error) req.reject(o);
      else {
        for (const r of Array.isArray(o) ? o : [o]) if (r.position > this.lastPosition) this.lastPosition = r.position;
        req.resolve(o);
      }
    });
  }

  /** Built once: better-sqlite3 wraps each transaction function, which costs per call otherwise. */
  private buildBatchTransaction(db: Database.Database) {
    const applyTx = db.transaction((req: SingleAppend, recordedAt: string) => this.applyOne(req, recordedAt));
    const applyAllTx = db.transaction(
      (parts: readonly SingleAppend[], conditions: readonly StreamCondition[], recordedAt: string) => {
        for (const c of conditions) this.checkRevision(c.streamId, c.expectedRevision);
        return parts.map((p) => this.applyOne(p, recordedAt));
      },
    );
    return db.transaction((batch: PendingAppend[], recordedAt: string, outcomes: Outcome[]) => {
      // Another process may have written since our last batch: the write lock is ours now.
      this.readTail();
      for (const req of batch) {
        const before = this.tail;
        try {
          // Nested: a savepoint, so one refused append (or multi-stream unit) rolls back alone.
          outcomes.push(req.parts ? applyAllTx(req.parts, req.conditions ?? [], recordedAt) : applyTx(req, recordedAt));
        } catch (e) {
          this.tail = before;
          if (isAppendRejection(e)) outcomes.push(e);
          else if (isUniqueEventIdViolation(e))
            outcomes.push(new EventIdConflictError(req.streamId, '(one of the batch)'));
          else throw e;
        }
      }
    });
  }

  private checkRevision(streamId: string, e: ExpectedRevision): number | null {
    const current = this.stmt.streamRevision.get(streamId)?.revision ?? null;
    if (!revisionSatisfies(e, current)) throw new WrongExpectedRevisionError(streamId, e, current);
    return current;
  }

  private applyOne(req: SingleAppend, recordedAt: string): AppendResult {
    const original = this.findOriginal(req);
    if (original) return original;
    const current = this.checkRevision(req.streamId, req.expected);
    let revision = current ?? -1;
    let { position, hash } = this.tail;
    const chained = this.options.hashChain;
    for (const ev of req.events) {
      revision += 1;
      position += 1;
      const row: EventRow = [
        position,
        req.streamId,
        revision,
        ev.eventId,
        ev.type,
        ev.schemaVersion ?? 1,
        JSON.stringify(ev.data),
        JSON.stringify(ev.metadata ?? {}),
        recordedAt,
      ];
      // Always format 2: the file's format-2 boundary was recorded at opening, below every new row.
      if (chained) hash = rowChainHash(hash, row);
      this.stmt.insert.run(...row, chained ? hash : null);
    }
    // Once per append: a failed insert above throws past this, and the batch loop restores its snapshot.
    this.tail = { position, hash };
    this.counters.events += req.events.length;
    this.stmt.upsertStream.run(req.streamId, revision);
    return { streamId: req.streamId, revision, position };
  }

  /** An append whose ids are all stored, consecutively, in this stream is answered with the original result. */
  private findOriginal(req: SingleAppend): AppendResult | null {
    const first = this.stmt.byEventId.get(req.events[0]!.eventId);
    if (!first) return null;
    let last = first;
    for (let i = 0; i < req.events.length; i++) {
      const found = i === 0 ? first : this.stmt.byEventId.get(req.events[i]!.eventId);
      if (!found || found.stream_id !== req.streamId || found.revision !== first.revision + i) {
        throw new EventIdConflictError(req.streamId, req.events[i]!.eventId);
      }
      last = found;
    }
    return { streamId: req.streamId, revision: last.revision, position: last.position };
  }
}

function validateMany(appends: readonly StreamAppend[]): void {
  if (appends.length === 0) throw new InvalidAppendError('appendMany needs at least one append');
  const streams = new Set<string>();
  for (const a of appends) {
    validateAppend(a.streamId, a.events, a.expectedRevision);
    if (streams.has(a.streamId)) throw new InvalidAppendError(`stream ${a.streamId} appears twice in one appendMany`);
    streams.add(a.streamId);
  }
}

function isAppendRejection(e: unknown): e is Error {
  return e instanceof WrongExpectedRevisionError || e instanceof EventIdConflictError;
}

function isUniqueEventIdViolation(e: unknown): boolean {
  // Duck-typed: errors raised inside the native addon may come from another realm (Jest's vm).
  const err = e as { code?: unknown; message?: unknown } | null;
  return err?.code === 'SQLITE_CONSTRAINT_UNIQUE' && String(err.message).includes('events.event_id');
}
