import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { EventStoreClosedError } from '../event-store.errors';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  StreamAppend,
  StreamCondition,
} from '../event-store.port';
import { SqliteEventReader } from './event.reader';
import { GlobalFeed } from './global.feed';
import { GroupCommitWriter } from './group-commit.writer';
import { preparePrivateDbFile, tightenSqliteSideFiles } from './private-file';
import { RecordedAtIndex } from './recorded-at.index';
import { SQLITE_SCHEMA } from './sqlite-schema';
import { assertSqliteVersion } from './sqlite-version';

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

/**
 * The embedded adapter: one file, one connection. A composition of the writer (group commit), the
 * reads, the time index and the global feed, each in its own file next to this one.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly writer: GroupCommitWriter;
  private readonly reader: SqliteEventReader;
  private readonly timeIndex: RecordedAtIndex;
  private readonly signals = new EventEmitter();
  private readonly subscriptions = new Set<Subscription>();
  private readonly feedOptions: { readonly pollIntervalMs: number; readonly readAheadFrom: number };
  private readonly file: string | null;
  private closed = false;
  readonly atomicMultiStream = true;

  constructor(options: SqliteEventStoreOptions) {
    this.db = openDatabase(options.file);
    // Absolute: the read-ahead thread opens the file again, whatever the working directory is then.
    this.file = options.file === ':memory:' ? null : resolve(options.file);
    this.signals.setMaxListeners(0);
    this.writer = new GroupCommitWriter(this.db, {
      clock: options.clock ?? (() => new Date()),
      maxBatch: options.maxBatch ?? 1024,
      file: this.file,
      onCommitted: (appends) => {
        this.signals.emit('appended');
        this.signals.emit('committed', appends);
      },
    });
    this.reader = new SqliteEventReader(this.db);
    this.timeIndex = new RecordedAtIndex(this.db);
    this.feedOptions = {
      pollIntervalMs: options.pollIntervalMs ?? 250,
      readAheadFrom: options.readAheadFrom ?? 20_000,
    };
  }

  append(streamId: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    return this.writer.append(streamId, events, expectedRevision);
  }

  appendMany(appends: readonly StreamAppend[], conditions: readonly StreamCondition[] = []): Promise<AppendResult[]> {
    return this.writer.appendMany(appends, conditions);
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
    return this.writer.stats();
  }

  /** Calls `listener` after each group commit with how many appends it held (the metrics' histogram). */
  observeCommits(listener: (appends: number) => void): () => void {
    this.signals.on('committed', listener);
    return () => this.signals.off('committed', listener);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.reader.readStream(streamId, options);
  }

  async streamRevision(streamId: string): Promise<number | null> {
    this.assertOpen();
    return this.reader.streamRevision(streamId);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.reader.readAll(options);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.reader.headPosition();
  }

  async headPositionAt(instant: Date): Promise<number> {
    this.assertOpen();
    return this.timeIndex.headPositionAt(instant);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    this.assertOpen();
    const { reader, writer, signals, file } = this;
    const source = {
      reader,
      signals,
      head: () => writer.head,
      pollIntervalMs: this.feedOptions.pollIntervalMs,
      readAhead: { file, from: this.feedOptions.readAheadFrom, reader },
    };
    const feed = new GlobalFeed(source, options, (closed) => this.subscriptions.delete(closed));
    this.subscriptions.add(feed);
    return feed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.writer.close();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

/** Owner-only (the folder too, when created here), whatever the umask; WAL with a full fsync at every commit. */
function openDatabase(file: string): Database.Database {
  preparePrivateDbFile(file);
  const db = new Database(file);
  const version = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  assertSqliteVersion(version);
  // A 2xx must mean "on disk": WAL with a full fsync at every commit.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(SQLITE_SCHEMA);
  tightenSqliteSideFiles(file);
  return db;
}
