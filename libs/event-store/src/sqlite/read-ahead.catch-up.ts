import type { EventRow } from './event-row.mapping';
import type { SqliteEventReader } from './event.reader';
import { FeedReadAhead } from './feed-read-ahead';

export interface ReadAheadSettings {
  /** The database file, absolute (null in memory: never read ahead). */
  readonly file: string | null;
  /** Fewest events to catch up on that are read on the second thread; 0: never. */
  readonly from: number;
  readonly reader: SqliteEventReader;
}

/** Hands rows to the feed; false when the feed stopped. */
export type DeliverRows = (rows: EventRow[]) => Promise<boolean>;

/**
 * One subscription's catch-up on the read-ahead thread (feed-read-ahead.ts), when it is long
 * enough to be worth a thread. Only ever slower, not wrong, when it fails: the feed then reads on
 * from its checkpoint on its own thread, and a FeedReadAheadWarning says so.
 */
export class ReadAheadCatchUp {
  private ahead: FeedReadAhead | null = null;

  constructor(private readonly settings: ReadAheadSettings) {}

  /**
   * Delivers the rows after `checkpoint` up to the file's head as it is now, when there are at
   * least `from` of them. `position` says where the feed got to (for the warning). Resolves to
   * false when `deliver` did.
   */
  async run(checkpoint: number, deliver: DeliverRows, position: () => number): Promise<boolean> {
    const { file, from, reader } = this.settings;
    // The file's head, not this process's: a worker process never appends.
    const head = reader.headPosition();
    if (file === null || from <= 0 || head - checkpoint < from) return true;
    const fallBack = (reason: string) =>
      process.emitWarning(`feed read-ahead stopped at position ${position()}: ${reason}`, 'FeedReadAheadWarning');
    let ahead: FeedReadAhead;
    try {
      ahead = new FeedReadAhead(file, checkpoint, head, this.expectIds(checkpoint, head), (p) => reader.rowAt(p)!);
    } catch (e) {
      fallBack(e instanceof Error ? e.message : String(e));
      return true;
    }
    this.ahead = ahead;
    try {
      for (let rows; (rows = await ahead.next()) !== null;) if (!(await deliver(rows))) return false;
    } finally {
      await ahead.close();
    }
    if (ahead.failure !== null) fallBack(ahead.failure);
    this.ahead = null;
    return true;
  }

  /** Wakes a feed waiting for the reader thread's next slot (close()). */
  stop(): void {
    void this.ahead?.close();
  }

  /** Event ids this connection has at the bounds: the thread opens the file by name and checks them. */
  private expectIds(checkpoint: number, head: number): [number, string][] {
    const ids: [number, string][] = [];
    for (const p of new Set([checkpoint, head])) {
      const id = p > 0 ? this.settings.reader.eventIdAt(p) : undefined;
      if (id !== undefined) ids.push([p, id]);
    }
    return ids;
  }
}
