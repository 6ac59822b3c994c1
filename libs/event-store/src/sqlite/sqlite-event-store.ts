import Database from 'better-sqlite3';
import type { KeyObject } from 'node:crypto';
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
import { CheckpointSchedule } from './checkpoint.schedule';
import { checkpointAtOrBelow, readCheckpoints, takeCheckpoint, type Checkpoint } from './checkpoint.signer';
import { migrateHashChain } from './hash-chain';
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
  /** Signed checkpoints of the hash chain, taken every so many events or minutes (none without). */
  readonly checkpoints?: CheckpointSettings;
  /** Benchmarks only: false writes events without the hash chain (the chain-free baseline). Default true. */
  readonly hashChain?: boolean;
  /**
   * For a log that is simply made again when lost (the demo's simulation), never for a ledger:
   * commits are not fsynced and the page cache is large until `close()`, which then copies the WAL
   * into the file with a full fsync, so a closed store is as durable as one written with every fsync.
   */
  readonly unsyncedUntilClose?: boolean;
}

export interface CheckpointSettings {
  /** The Ed25519 private key; it stays out of the file. */
  readonly key: KeyObject;
  /** After this many events since the last checkpoint. */
  readonly everyEvents: number;
  /** And at this interval when events arrived since. */
  readonly everyMs: number;
}

/** The page cache of an unsynced bulk load (SQLite's negative: KiB): the log's indexes stay in memory. */
const BULK_LOAD_CACHE = -262_144;

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
  private readonly clock: () => Date;
  private readonly schedule: CheckpointSchedule | null;
  private closed = false;
  private readonly unsynced: boolean;
  readonly atomicMultiStream = true;

  constructor(options: SqliteEventStoreOptions) {
    this.db = openDatabase(options.file);
    this.unsynced = options.unsyncedUntilClose === true;
    if (this.unsynced) {
      this.db.pragma('synchronous = OFF');
      this.db.pragma(`cache_size = ${BULK_LOAD_CACHE}`);
    }
    // Absolute: the read-ahead thread opens the file again, whatever the working directory is then.
    this.file = options.file === ':memory:' ? null : resolve(options.file);
    this.signals.setMaxListeners(0);
    this.clock = options.clock ?? (() => new Date());
    const cp = options.checkpoints;
    this.schedule = cp
      ? new CheckpointSchedule({
          ...cp,
          lastPosition: checkpointAtOrBelow(this.db, Number.MAX_SAFE_INTEGER)?.position ?? 0,
          head: () => this.writer.head,
          take: () => this.takeCheckpoint(cp.key),
        })
      : null;
    this.writer = new GroupCommitWriter(this.db, {
      clock: this.clock,
      maxBatch: options.maxBatch ?? 1024,
      file: this.file,
      hashChain: options.hashChain ?? true,
      onCommitted: (appends) => {
        this.signals.emit('appended');
        this.signals.emit('committed', appends);
        this.schedule?.afterCommit();
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

  /** Signs the chain's head now and keeps the checkpoint in the file (null on an empty log). */
  takeCheckpoint(key: KeyObject): Checkpoint | null {
    this.assertOpen();
    return takeCheckpoint(this.db, key, this.clock());
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    this.assertOpen();
    return readCheckpoints(this.db);
  }

  async checkpointAtOrBelow(position: number): Promise<Checkpoint | null> {
    this.assertOpen();
    return checkpointAtOrBelow(this.db, position);
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
    this.schedule?.stop();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    if (this.unsynced) {
      // With FULL, the checkpoint fsyncs the WAL and then the file: every unsynced commit is on disk.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
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
  // Once, on a file written before the chain: seconds per million events.
  migrateHashChain(db);
  tightenSqliteSideFiles(file);
  return db;
}
