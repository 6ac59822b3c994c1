import { EventStoreDBClient, START, eventTypeFilter, type AllStreamResolvedEvent } from '@eventstore/db-client';
import { backoffDelay } from '@ihl/event-store';
import type { ErasureFollowerState } from '@ihl/privacy';

const RETRY_INITIAL_MS = 250;
const RETRY_MAX_MS = 10_000;

/**
 * Follows the erasures recorded in the log (PersonErased, whichever replica appended it) from a
 * position on, and tells `onErased` the pseudonym: a replica drops a key it held in memory as soon as
 * the erasure reaches it. A lost connection subscribes again from the last erasure seen (with
 * backoff), so none is skipped; until then the replica may still open that person's profiles.
 */
export class EsdbErasureFollower {
  private readonly client: EventStoreDBClient;
  private position: bigint;
  private stopped = false;
  private unsubscribe: () => Promise<void> = () => Promise.resolve();
  private wake: () => void = () => undefined;
  private readonly running: Promise<void>;
  /** Erasures handed over so far (for tests and health). */
  seen = 0;
  private status: ErasureFollowerState['status'] = 'behind';
  private lastError: string | undefined;
  /** Since when it has not been subscribed (ISO-8601); unset while running. */
  private since: string | undefined = new Date().toISOString();

  constructor(
    connectionString: string,
    from: bigint,
    private readonly onErased: (pseudonym: string) => void,
  ) {
    this.client = EventStoreDBClient.connectionString(
      connectionString.replace(/^kurrent(db)?(\+discover)?:\/\//, 'esdb$2://'),
    );
    this.position = from;
    this.running = this.run().catch((e: unknown) => {
      this.status = 'failed';
      this.lastError = errorText(e);
    });
  }

  /** For `/health`: subscribed (running), not subscribed now (behind: erasures made elsewhere wait), or ended. */
  get state(): ErasureFollowerState {
    return {
      status: this.status,
      position: Number(this.position),
      erasuresSeen: this.seen,
      ...(this.since !== undefined && this.status !== 'running' ? { since: this.since } : {}),
      ...(this.lastError !== undefined && this.status !== 'running' ? { lastError: this.lastError } : {}),
    };
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.unsubscribe();
    await this.running;
    await this.client.dispose();
  }

  private async run(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      if (await this.follow()) attempt = 0;
      if (this.stopped) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoffDelay(attempt, RETRY_INITIAL_MS, RETRY_MAX_MS));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** One subscription until its connection ends; true when it delivered anything or was confirmed. */
  private async follow(): Promise<boolean> {
    let confirmed = false;
    const sub = this.client.subscribeToAll({
      fromPosition: this.position === 0n ? START : { commit: this.position, prepare: this.position },
      filter: eventTypeFilter({ regex: '^PersonErased$' }),
    });
    sub.on('error', () => undefined);
    sub.on('confirmation', () => {
      confirmed = true;
      this.status = 'running';
      this.since = undefined;
    });
    this.unsubscribe = async () => {
      await sub.unsubscribe().catch(() => undefined);
    };
    try {
      for await (const resolved of sub as AsyncIterable<AllStreamResolvedEvent>) {
        if (this.stopped) break;
        this.hand(resolved);
      }
    } catch (e) {
      // A lost connection: subscribe again after a wait.
      this.lastError = errorText(e);
    } finally {
      await sub.unsubscribe().catch(() => undefined);
      sub.destroy();
      if (!this.stopped && this.status === 'running') {
        this.status = 'behind';
        this.since = new Date().toISOString();
      }
    }
    return confirmed;
  }

  private hand(resolved: AllStreamResolvedEvent): void {
    const e = resolved.event;
    if (!e?.position || e.position.commit <= this.position) return;
    const data = e.data as { pseudonym?: unknown } | undefined;
    if (typeof data?.pseudonym === 'string') {
      this.onErased(data.pseudonym);
      this.seen += 1;
    }
    this.position = e.position.commit;
  }
}

/** One line, bounded: a client error's message (it names no person). */
function errorText(e: unknown): string {
  const m = (e as Error | null)?.message;
  return (typeof m === 'string' ? m : String(e)).replace(/\s+/g, ' ').slice(0, 300);
}
