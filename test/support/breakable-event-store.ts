import type { EventStore, SubscribeOptions, Subscription } from '@ihl/event-store';

/**
 * A real event store whose global feed can be broken for a while, as a store that lost its disk or
 * its connection would: open subscriptions end with the error, new ones fail at once with it, until
 * heal(). Everything else (appends, reads) goes to the real store, so writes go on meanwhile.
 */
export class BreakableEventStore implements EventStore {
  private broken: Error | null = null;
  private readonly live = new Set<{ inner: Subscription; options: SubscribeOptions }>();
  /** Subscriptions refused or ended by the break (the feed's readers did try again). */
  refusals = 0;

  constructor(private readonly inner: EventStore) {}

  get atomicMultiStream(): boolean {
    return this.inner.atomicMultiStream;
  }

  /** Ends every open subscription with `error`, and refuses new ones until heal(). */
  async break(error: Error): Promise<void> {
    this.broken = error;
    for (const sub of [...this.live]) {
      this.live.delete(sub);
      await sub.inner.close();
      this.refusals += 1;
      sub.options.onError?.(error);
    }
  }

  heal(): void {
    this.broken = null;
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const error = this.broken;
    if (error) {
      this.refusals += 1;
      // Asynchronously, as a feed that fails on its first read would.
      const timer = setTimeout(() => options.onError?.(error), 0);
      return { close: async () => clearTimeout(timer) };
    }
    const entry = { inner: this.inner.subscribeToAll(options), options };
    this.live.add(entry);
    return {
      get state() {
        return entry.inner.state;
      },
      close: async () => {
        this.live.delete(entry);
        await entry.inner.close();
      },
    };
  }

  append: EventStore['append'] = (...args) => this.inner.append(...args);
  appendMany: EventStore['appendMany'] = (...args) => this.inner.appendMany(...args);
  readStream: EventStore['readStream'] = (...args) => this.inner.readStream(...args);
  streamRevision: EventStore['streamRevision'] = (...args) => this.inner.streamRevision(...args);
  readAll: EventStore['readAll'] = (...args) => this.inner.readAll(...args);
  headPosition: EventStore['headPosition'] = () => this.inner.headPosition();
  headPositionAt: EventStore['headPositionAt'] = (...args) => this.inner.headPositionAt(...args);
  close: EventStore['close'] = () => this.inner.close();
}
