import type { EventEmitter } from 'node:events';
import type { SubscribeOptions, Subscription } from '../event-store.port';
import { toStoredEvent, type EventRow } from './event-row.mapping';
import type { SqliteEventReader } from './event.reader';
import { ReadAheadCatchUp, type ReadAheadSettings } from './read-ahead.catch-up';

const PAGE = 512;

export interface GlobalFeedSource {
  readonly reader: SqliteEventReader;
  /** Emits 'appended' after each of this process's commits. */
  readonly signals: EventEmitter;
  /** This process's head: a live feed past it waits for a signal or the poll timer. */
  readonly head: () => number;
  /** How often a live feed looks for events written by another process. */
  readonly pollIntervalMs: number;
  readonly readAhead: ReadAheadSettings;
}

/**
 * One subscribeToAll: catch up (on the read-ahead thread when long), signal it, then follow live
 * appends. Events are handed over one at a time, each awaited only when its handler is async.
 */
export class GlobalFeed implements Subscription {
  private stopped = false;
  private live = false;
  private checkpoint: number;
  private wake: (() => void) | null = null;
  private readonly readAhead: ReadAheadCatchUp;
  private readonly running: Promise<void>;
  private readonly onAppended = () => this.wake?.();

  constructor(
    private readonly source: GlobalFeedSource,
    private readonly options: SubscribeOptions,
    private readonly onClosed: (feed: GlobalFeed) => void,
  ) {
    this.checkpoint = options.after ?? 0;
    this.readAhead = new ReadAheadCatchUp(source.readAhead);
    source.signals.on('appended', this.onAppended);
    this.running = this.run()
      .catch((e: unknown) => {
        if (!this.stopped) options.onError?.(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => source.signals.off('appended', this.onAppended));
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.readAhead.stop();
    await this.running;
    this.onClosed(this);
  }

  private async run(): Promise<void> {
    // The handlers run after subscribeToAll has returned the subscription, never inside it.
    await Promise.resolve();
    if (this.stopped) return;
    if (!(await this.readAhead.run(this.checkpoint, this.deliver, () => this.checkpoint))) return;
    while (!this.stopped) {
      // Rows are decoded one at a time, as they are handed over: a page of parsed events would
      // outlive the young generation and be promoted, growing the heap over a long replay.
      const page = this.source.reader.rowsAfter(this.checkpoint, PAGE);
      if (!(await this.deliver(page))) return;
      if (page.length === PAGE || this.stopped) continue;
      if (!this.live) {
        this.live = true;
        this.options.onCaughtUp?.(this.checkpoint);
      }
      // Another process may write the same file, so a timer backs up the in-process signal.
      if (this.source.head() <= this.checkpoint) await this.nextAppendOrPoll();
    }
  }

  private readonly deliver = async (rows: EventRow[]): Promise<boolean> => {
    for (const row of rows) {
      if (this.stopped) return false;
      const event = toStoredEvent(row);
      // Awaited only when the handler is asynchronous: a replay's million microtask hops add up.
      const handled = this.options.onEvent(event);
      if (handled) await handled;
      this.checkpoint = event.position;
    }
    return true;
  };

  private nextAppendOrPoll(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.source.pollIntervalMs);
      this.wake = done;
    });
  }
}
