import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamAppend,
  StreamCondition,
  SubscribeOptions,
  Subscription,
} from '@ihl/event-store';

/** Events of the feed held back to be handed over together, once their persons' keys are fetched. */
export const PREFETCH_PAGE = 500;

/** The persons whose sealed profiles a page of the feed carries (what projecting it opens). */
export function pseudonymsToOpen(events: readonly StoredEvent[]): string[] {
  const out = new Set<string>();
  for (const e of events) {
    if (e.type !== 'PersonProfileRecorded') continue;
    const pseudonym = (e.data as { pseudonym?: unknown } | null)?.pseudonym;
    if (typeof pseudonym === 'string') out.add(pseudonym);
  }
  return [...out];
}

/**
 * The store as the read models see it when the person keys are shared: before a page of the feed
 * (a page read, or up to PREFETCH_PAGE events of the subscription) is projected, the keys its
 * profiles need and this replica does not hold are fetched in one round trip. Without it a new
 * replica's first replay waited once per person. Everything else goes to the store as it is.
 */
export class KeyPrefetchingFeed implements EventStore {
  constructor(
    private readonly store: EventStore,
    private readonly prefetch: (pseudonyms: readonly string[]) => void,
    private readonly pageSize = PREFETCH_PAGE,
  ) {}

  get atomicMultiStream(): boolean {
    return this.store.atomicMultiStream;
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.store.append(streamId, events, expected);
  }

  appendMany(appends: readonly StreamAppend[], conditions?: readonly StreamCondition[]): Promise<AppendResult[]> {
    return this.store.appendMany(appends, conditions);
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.store.readStream(streamId, options);
  }

  streamRevision(streamId: string): Promise<number | null> {
    return this.store.streamRevision(streamId);
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    const page = await this.store.readAll(options);
    this.prefetch(pseudonymsToOpen(page));
    return page;
  }

  headPosition(): Promise<number> {
    return this.store.headPosition();
  }

  headPositionAt(instant: Date): Promise<number> {
    return this.store.headPositionAt(instant);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return new PagedSubscription(this.store, options, this.prefetch, this.pageSize);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/**
 * Holds the events the store hands over until a page is full or caught up (live: until the next turn
 * of the event loop), then fetches the page's keys and hands its events on in order,
 * waiting for each as the store would. Caught-up is told after every event before it.
 */
class PagedSubscription implements Subscription {
  private page: StoredEvent[] = [];
  private delivered: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private caughtUp = false;
  private failed: unknown = null;
  private reported = false;
  private readonly inner: Subscription;

  constructor(
    store: EventStore,
    private readonly options: SubscribeOptions,
    private readonly prefetch: (pseudonyms: readonly string[]) => void,
    private readonly pageSize: number,
  ) {
    this.inner = store.subscribeToAll({
      ...(options.after !== undefined ? { after: options.after } : {}),
      onEvent: (event) => this.accept(event),
      onCaughtUp: (position) => {
        this.caughtUp = true;
        void this.flush().then(
          () => options.onCaughtUp?.(position),
          () => undefined,
        );
      },
      onError: (e) => this.report(e),
    });
  }

  get state(): Subscription['state'] {
    return this.inner.state;
  }

  close(): Promise<void> {
    this.page = [];
    return this.inner.close();
  }

  private accept(event: StoredEvent): Promise<void> | undefined {
    if (this.failed) throw this.failed;
    this.page.push(event);
    // A full page makes the store wait (memory stays at one page); while catching up a smaller one
    // waits for more or for caught-up (whole pages, however the store chunks them); live, the next turn.
    if (this.page.length >= this.pageSize) return this.flush();
    if (this.caughtUp && !this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => void this.flush().catch((e: unknown) => this.report(e)));
    }
    return undefined;
  }

  private flush(): Promise<void> {
    this.flushQueued = false;
    const page = this.page;
    this.page = [];
    this.delivered = this.delivered.then(async () => {
      if (page.length === 0 || this.failed) return;
      try {
        this.prefetch(pseudonymsToOpen(page));
        for (const event of page) await this.options.onEvent(event);
      } catch (e) {
        this.failed = e;
        throw e;
      }
    });
    return this.delivered;
  }

  private report(e: unknown): void {
    if (this.reported) return;
    this.reported = true;
    this.options.onError?.(e instanceof Error ? e : new Error(String(e)));
  }
}
