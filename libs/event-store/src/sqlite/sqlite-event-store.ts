import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import {
  EventIdConflictError,
  EventStoreClosedError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
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
  StreamAppend,
  StreamCondition,
} from '../event-store.port';
import { revisionSatisfies, validateAppend } from '../append-validation';
import { assertSqliteVersion } from './sqlite-version';
import { SQLITE_SCHEMA } from './sqlite-schema';
import { FEED_COLUMNS, FeedReadAhead, type FeedRow } from './feed-read-ahead';
import { preparePrivateDbFile, tightenSqliteSideFiles } from './private-file';
import { asDiskFull } from './disk-full';

export interface SqliteEventStoreOptions {
  /** Database file; its folder is created if missing. */
  readonly file: string;
  /** Server clock for recordedAt; injected so tests can pin it. */
  readonly clock?: () => Date;
  /** Most appends that share one transaction and one fsync. */
  readonly maxBatch?: number;
  /** How often a live subscription looks for events written by another process. */
  readonly pollIntervalMs?: number;
  /**
   * A subscription with at least this many events to catch up on reads them on a second thread
   * (a replay's rows are read while the handlers run). 0: never. Default 20,000.
   */
  readonly readAheadFrom?: number;
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

const PAGE = 512;

export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly maxBatch: number;
  private readonly pollIntervalMs: number;
  private readonly readAheadFrom: number;
  private readonly file: string | null;
  private readonly signals = new EventEmitter();
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private head: number;
  private readonly subscriptions = new Set<Subscription>();
  private readonly stmt;
  private readonly counters = { commits: 0, appends: 0, events: 0 };
  private readonly batchTx: Database.Transaction<
    (batch: PendingAppend[], recordedAt: string, outcomes: (AppendResult | AppendResult[] | Error)[]) => void
  >;
  readonly atomicMultiStream = true;

  constructor(options: SqliteEventStoreOptions) {
    // Owner-only (the folder too, when created here), whatever the umask.
    preparePrivateDbFile(options.file);
    this.db = new Database(options.file);
    const version = (this.db.prepare('select sqlite_version() as v').get() as { v: string }).v;
    assertSqliteVersion(version);
    // A 2xx must mean "on disk": WAL with a full fsync at every commit.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SQLITE_SCHEMA);
    tightenSqliteSideFiles(options.file);
    this.clock = options.clock ?? (() => new Date());
    this.maxBatch = options.maxBatch ?? 1024;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.readAheadFrom = options.readAheadFrom ?? 20_000;
    // Absolute: the read-ahead thread opens the file again, whatever the working directory is then.
    this.file = options.file === ':memory:' ? null : resolve(options.file);
    this.signals.setMaxListeners(0);
    this.stmt = {
      streamRevision: this.db.prepare<[string], { revision: number }>(
        'select revision from streams where stream_id = ?',
      ),
      byEventId: this.db.prepare<[string], { stream_id: string; revision: number; position: number }>(
        'select stream_id, revision, position from events where event_id = ?',
      ),
      insert: this.db.prepare(
        'insert into events (stream_id, revision, event_id, type, schema_version, data, metadata, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      upsertStream: this.db.prepare(
        'insert into streams (stream_id, revision) values (?, ?) on conflict(stream_id) do update set revision = excluded.revision',
      ),
      head: this.db.prepare<[], { p: number | null }>('select max(position) as p from events'),
      // A range scan of the covering index: cost grows with the events recorded after the instant.
      firstRecordedAfter: this.db.prepare<[string], { q: number | null }>(
        'select min(position) as q from events indexed by events_recorded_at where recorded_at > ?',
      ),
      lastBefore: this.db.prepare<[number], { p: number | null }>(
        'select max(position) as p from events where position < ?',
      ),
      allForwards: this.db
        .prepare<[number, number], FeedRow>(
          `select ${FEED_COLUMNS} from events where position > ? order by position limit ?`,
        )
        .raw(true),
      rowAt: this.db.prepare<[number], FeedRow>(`select ${FEED_COLUMNS} from events where position = ?`).raw(true),
      idAt: this.db.prepare<[number], string>('select event_id from events where position = ?').pluck(),
      allBackwards: this.db
        .prepare<[number, number], FeedRow>(
          `select ${FEED_COLUMNS} from events where position < ? order by position desc limit ?`,
        )
        .raw(true),
      streamForwards: this.db
        .prepare<[string, number, number], FeedRow>(
          `select ${FEED_COLUMNS} from events where stream_id = ? and revision >= ? order by revision limit ?`,
        )
        .raw(true),
      streamBackwards: this.db
        .prepare<[string, number, number], FeedRow>(
          `select ${FEED_COLUMNS} from events where stream_id = ? and revision <= ? order by revision desc limit ?`,
        )
        .raw(true),
    };
    this.head = this.stmt.head.get()?.p ?? 0;
    // Built once: better-sqlite3 wraps each transaction function, which costs per call otherwise.
    const applyTx = this.db.transaction((req: SingleAppend, recordedAt: string) => this.applyOne(req, recordedAt));
    const applyAllTx = this.db.transaction(
      (parts: readonly SingleAppend[], conditions: readonly StreamCondition[], recordedAt: string) => {
        for (const c of conditions) this.checkRevision(c.streamId, c.expectedRevision);
        return parts.map((p) => this.applyOne(p, recordedAt));
      },
    );
    this.batchTx = this.db.transaction(
      (batch: PendingAppend[], recordedAt: string, outcomes: (AppendResult | AppendResult[] | Error)[]) => {
        for (const req of batch) {
          try {
            // Nested: a savepoint, so one refused append (or multi-stream unit) rolls back alone.
            outcomes.push(
              req.parts ? applyAllTx(req.parts, req.conditions ?? [], recordedAt) : applyTx(req, recordedAt),
            );
          } catch (e) {
            if (isAppendRejection(e)) outcomes.push(e);
            else if (isUniqueEventIdViolation(e))
              outcomes.push(new EventIdConflictError(req.streamId, '(one of the batch)'));
            else throw e;
          }
        }
      },
    );
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
      if (appends.length === 0) throw new InvalidAppendError('appendMany needs at least one append');
      const streams = new Set<string>();
      for (const a of appends) {
        validateAppend(a.streamId, a.events, a.expectedRevision);
        if (streams.has(a.streamId))
          throw new InvalidAppendError(`stream ${a.streamId} appears twice in one appendMany`);
        streams.add(a.streamId);
      }
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const parts = appends.map((a) => ({ streamId: a.streamId, events: a.events, expected: a.expectedRevision }));
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.enqueue({ ...parts[0]!, parts, conditions, resolve: resolve as (r: unknown) => void, reject });
    });
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
      const batch = this.queue.splice(0, this.maxBatch);
      const outcomes: (AppendResult | AppendResult[] | Error)[] = [];
      const recordedAt = this.clock().toISOString();
      try {
        this.batchTx.immediate(batch, recordedAt, outcomes);
        this.counters.commits += 1;
        this.counters.appends += batch.length;
      } catch (e) {
        // Nothing of this batch was committed: every caller learns it (a full disk as such).
        const failure = asDiskFull(e, this.file) as Error;
        for (const req of batch) req.reject(failure);
        continue;
      }
      batch.forEach((req, i) => {
        const o = outcomes[i]!;
        if (o instanceof Error) req.reject(o);
        else {
          for (const r of Array.isArray(o) ? o : [o]) if (r.position > this.head) this.head = r.position;
          req.resolve(o);
        }
      });
      this.signals.emit('appended');
    }
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
    let position = 0;
    for (const ev of req.events) {
      revision += 1;
      const r = this.stmt.insert.run(
        req.streamId,
        revision,
        ev.eventId,
        ev.type,
        ev.schemaVersion ?? 1,
        JSON.stringify(ev.data),
        JSON.stringify(ev.metadata ?? {}),
        recordedAt,
      );
      position = Number(r.lastInsertRowid);
    }
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

  /**
   * Tests only: caps the database at `pages` pages (SQLite's max_page_count, on this connection),
   * so that a write needing more fails with SQLITE_FULL as on a full disk; a larger cap frees it
   * again. Returns the cap in force, which SQLite never sets below the file's current size.
   */
  simulateDiskLimit(pages: number): number {
    this.assertOpen();
    if (!Number.isSafeInteger(pages) || pages < 1) throw new RangeError(`pages must be a positive integer: ${pages}`);
    return this.db.pragma(`max_page_count = ${pages}`, { simple: true }) as number;
  }

  /** Committed write transactions (one fsync each), appends and events since opening. */
  stats(): { commits: number; appends: number; events: number } {
    return { ...this.counters };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const rows =
      options.direction === 'backwards'
        ? this.stmt.streamBackwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, max)
        : this.stmt.streamForwards.all(streamId, options.fromRevision ?? 0, max);
    return rows.map(toStored);
  }

  async streamRevision(streamId: string): Promise<number | null> {
    this.assertOpen();
    return this.stmt.streamRevision.get(streamId)?.revision ?? null;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.readAllSync(options);
  }

  private readAllSync(options: ReadAllOptions): StoredEvent[] {
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const rows =
      options.direction === 'backwards'
        ? this.stmt.allBackwards.all(options.before ?? Number.MAX_SAFE_INTEGER, max)
        : this.stmt.allForwards.all(options.after ?? 0, max);
    return rows.map(toStored);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.stmt.head.get()?.p ?? 0;
  }

  async headPositionAt(instant: Date): Promise<number> {
    this.assertOpen();
    // recorded_at is always toISOString(), so text order is time order.
    const first = this.stmt.firstRecordedAfter.get(isoInstant(instant))?.q ?? null;
    if (first === null) return this.stmt.head.get()?.p ?? 0;
    return this.stmt.lastBefore.get(first)?.p ?? 0;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    let stopped = false;
    let wake: (() => void) | null = null;
    let ahead: FeedReadAhead | null = null;
    const onAppended = () => wake?.();
    this.signals.on('appended', onAppended);
    const run = async () => {
      // The handlers run after subscribeToAll has returned the subscription, never inside it.
      await Promise.resolve();
      let checkpoint = options.after ?? 0;
      let live = false;
      const deliver = async (rows: FeedRow[]): Promise<boolean> => {
        for (const row of rows) {
          if (stopped) return false;
          const event = toStored(row);
          // Awaited only when the handler is asynchronous: a replay's million microtask hops add up.
          const handled = options.onEvent(event);
          if (handled) await handled;
          checkpoint = event.position;
        }
        return true;
      };
      // The file's head, not this process's: a worker process never appends.
      const head = this.stmt.head.get()?.p ?? 0;
      if (!stopped && this.file !== null && this.readAheadFrom > 0 && head - checkpoint >= this.readAheadFrom) {
        // Only slower, not wrong: the loop below reads on from the checkpoint on this thread.
        const fallBack = (reason: string) =>
          process.emitWarning(`feed read-ahead stopped at position ${checkpoint}: ${reason}`, 'FeedReadAheadWarning');
        const expectIds: [number, string][] = [];
        for (const p of new Set([checkpoint, head])) {
          const id = p > 0 ? this.stmt.idAt.get(p) : undefined;
          if (id !== undefined) expectIds.push([p, id]);
        }
        try {
          ahead = new FeedReadAhead(this.file, checkpoint, head, expectIds, (p) => this.stmt.rowAt.get(p)!);
        } catch (e) {
          fallBack(e instanceof Error ? e.message : String(e));
        }
        if (ahead) {
          try {
            for (let rows; (rows = await ahead.next()) !== null;) if (!(await deliver(rows))) return;
          } finally {
            await ahead.close();
          }
          if (ahead.failure !== null) fallBack(ahead.failure);
          ahead = null;
        }
      }
      while (!stopped) {
        // Rows are decoded one at a time, as they are handed over: a page of parsed events would
        // outlive the young generation and be promoted, growing the heap over a long replay.
        const page = this.stmt.allForwards.all(checkpoint, PAGE);
        if (!(await deliver(page))) return;
        if (page.length === PAGE || stopped) continue;
        if (!live) {
          live = true;
          options.onCaughtUp?.(checkpoint);
        }
        // Another process may write the same file, so a timer backs up the in-process signal.
        if (this.head <= checkpoint) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(done, this.pollIntervalMs);
            function done() {
              clearTimeout(timer);
              wake = null;
              resolve();
            }
            wake = done;
          });
        }
      }
    };
    const running = run()
      .catch((e: unknown) => {
        if (!stopped) options.onError?.(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => this.signals.off('appended', onAppended));
    const subscription: Subscription = {
      close: async () => {
        stopped = true;
        wake?.();
        // Wakes a feed waiting for the reader thread's next slot.
        void ahead?.close();
        await running;
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.queue.length > 0) this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

/**
 * Every field read and parsed here: an event handed over is a plain value that outlives the store
 * and survives a spread or a structured clone. Metadata is parsed eagerly too: an own getter that
 * parses on first use costs more per event (a closure and a slower object) than the parse itself.
 */
function toStored(r: FeedRow): StoredEvent {
  return {
    position: r[0],
    streamId: r[1],
    revision: r[2],
    eventId: r[3],
    type: r[4],
    schemaVersion: r[5],
    data: JSON.parse(r[6]) as JsonValue,
    metadata: JSON.parse(r[7]) as EventMetadata,
    recordedAt: r[8],
  };
}

const MIN_ISO_MS = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_ISO_MS = Date.parse('9999-12-31T23:59:59.999Z');

function isoInstant(instant: Date): string {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('headPositionAt needs a valid instant');
  // Clamped to toISOString's fixed 24-character range (years 0-9999), where text order is time order.
  return new Date(Math.min(Math.max(ms, MIN_ISO_MS), MAX_ISO_MS)).toISOString();
}

function isAppendRejection(e: unknown): e is Error {
  return e instanceof WrongExpectedRevisionError || e instanceof EventIdConflictError;
}

function isUniqueEventIdViolation(e: unknown): boolean {
  // Duck-typed: errors raised inside the native addon may come from another realm (Jest's vm).
  const err = e as { code?: unknown; message?: unknown } | null;
  return err?.code === 'SQLITE_CONSTRAINT_UNIQUE' && String(err.message).includes('events.event_id');
}
