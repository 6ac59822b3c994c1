import {
  START,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import { backoffDelay } from '../backoff-delay';
import type { SubscribeOptions, Subscription, SubscriptionState } from '../event-store.port';
import { toPosition, toStoredEvent } from './esdb-event.mapping';

export interface ResubscribeDelays {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/** An error thrown by the subscriber's own handler: it ends the subscription, unlike a lost connection. */
class HandlerFailure {
  constructor(readonly error: unknown) {}
}

/**
 * Catch-up then live, one event at a time. A lost connection (the server stopped, a leader
 * changed, the network dropped) does not end it: it subscribes again after the last event it
 * handed over, with backoff, so the handler sees every event once and in order; `state` says
 * `reconnecting` meanwhile. Only an error thrown by the handler, or close(), ends it.
 */
export class EsdbSubscription implements Subscription {
  private checkpoint: number;
  private firedCaughtUp = false;
  private stopped = false;
  private current: AllStreamSubscription | null = null;
  private status: SubscriptionState = { status: 'running' };
  /** Ends the wait before the next try at once (close()). */
  private wake: () => void = () => undefined;
  private readonly running: Promise<void>;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeOptions,
    private readonly delays: ResubscribeDelays,
    private readonly onClosed: (s: EsdbSubscription) => void,
  ) {
    this.checkpoint = options.after ?? 0;
    this.running = this.run().catch((e: unknown) => {
      const error = e instanceof HandlerFailure ? e.error : e;
      const err = error instanceof Error ? error : new Error(String(error));
      this.status = { status: 'stopped', error: err.message };
      if (!this.stopped) options.onError?.(err);
    });
  }

  get state(): SubscriptionState {
    return this.status;
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wake();
    const sub = this.current;
    if (sub) {
      await sub.unsubscribe();
      sub.destroy();
    }
    await this.running;
    this.onClosed(this);
  }

  /** Follows the server, subscribing again after each lost connection, until close() or a handler error. */
  private async run(): Promise<void> {
    let attempts = 0;
    let since = '';
    while (!this.stopped) {
      const lost = await this.follow(() => {
        attempts = 0;
        this.status = { status: 'running' };
      });
      if (this.stopped) break;
      attempts += 1;
      if (attempts === 1) since = new Date().toISOString();
      this.status = { status: 'reconnecting', attempts, lastError: lost.message, since };
      await this.pause(backoffDelay(attempts, this.delays.initialDelayMs, this.delays.maxDelayMs));
    }
    this.status = { status: 'stopped' };
  }

  /** One server subscription from the checkpoint; resolves when its connection is lost. */
  private async follow(onConfirmed: () => void): Promise<Error> {
    const sub = this.client.subscribeToAll({
      fromPosition: this.checkpoint === 0 ? START : toPosition(this.checkpoint),
      filter: excludeSystemEvents(),
    });
    this.current = sub;
    // The iterator below reports errors; this keeps one emitted after it has finished from being unhandled.
    sub.on('error', () => undefined);
    sub.on('confirmation', onConfirmed);
    const caughtUp = this.watchCaughtUp(sub);
    try {
      for await (const resolved of sub as AsyncIterable<AllStreamResolvedEvent>) {
        if (this.stopped) break;
        caughtUp.consumed += 1;
        await this.hand(resolved);
        caughtUp.check();
      }
      return new Error('the server ended the subscription');
    } catch (e) {
      if (e instanceof HandlerFailure) throw e;
      return e instanceof Error ? e : new Error(String(e));
    } finally {
      this.current = null;
      // Ending the iteration does not end the gRPC call under it: cancelled here (a no-op if it ended).
      await sub.unsubscribe().catch(() => undefined);
      sub.destroy();
    }
  }

  /** The client emits caughtUp when the message arrives; events before it may still be buffered. */
  private watchCaughtUp(sub: AllStreamSubscription): { consumed: number; check: () => void } {
    let caughtUpAt: number | null = null;
    const watch = {
      consumed: 0,
      check: () => {
        if (!this.firedCaughtUp && caughtUpAt !== null && watch.consumed >= caughtUpAt) {
          this.firedCaughtUp = true;
          this.options.onCaughtUp?.(this.checkpoint);
        }
      },
    };
    sub.on('caughtUp', () => {
      caughtUpAt = watch.consumed + sub.readableLength;
      watch.check();
    });
    return watch;
  }

  private async hand(resolved: AllStreamResolvedEvent): Promise<void> {
    const e = toStoredEvent(resolved);
    // After a resubscription the server starts after the checkpoint; the check keeps it so.
    if (!e || e.position <= this.checkpoint) return;
    try {
      await this.options.onEvent(e);
    } catch (error) {
      throw new HandlerFailure(error);
    }
    this.checkpoint = e.position;
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
