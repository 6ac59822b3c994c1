import { basename } from 'node:path';
import type { ReadinessThresholds } from '@ihl/config';
import type { EventStore } from '@ihl/event-store';
import type { ErasureFollowerState } from '@ihl/privacy';
import type { ReadModels, ReadModelsFeedState, ReadModelsMode } from '@ihl/runtime';

/** How long readiness waits for the event store before it counts as unreachable. */
export const STORE_TIMEOUT_MS = 3000;

export interface EventStoreCheck {
  readonly ok: boolean;
  readonly headPosition?: number;
  readonly reason?: string;
}

export interface ReadModelsCheck {
  readonly ok: boolean;
  readonly mode: ReadModelsMode;
  /** The feed's state: running, catching-up, restarting, failed, following, waiting, ... */
  readonly feed: ReadModelsFeedState['status'];
  readonly reached: number;
  /** headPosition − reached: positions, which are not event counts on EventStoreDB. */
  readonly behind?: number;
  /** Events of the log after `reached`, counted up to the threshold + 1. */
  readonly behindEvents?: number;
  /**
   * For how long the read models have been behind: since this process first saw, as the log's head,
   * an event they still do not have (0 when caught up). Measured on this process's clock only, so
   * neither the store's clock nor a skew between them counts; first seen by a probe, so probes as
   * often as the threshold or more.
   */
  readonly lagSeconds?: number;
  readonly reasons?: readonly string[];
}

export interface FollowedFileCheck {
  readonly ok: boolean;
  readonly file: string | null;
  readonly reason?: string;
}

/** Redis (when REDIS_URL is set): down, the ledger still writes and answers, but no job runs or queues. */
export interface RedisCheck {
  readonly ok: boolean;
  readonly reason?: string;
}

/**
 * With shared person keys: what brings other replicas' erasures here. Not running, the replica
 * stays in rotation (degraded): figures and writes are right, but it may still open the profile of
 * a person erased elsewhere until it follows again.
 */
export interface ErasureFollowerCheck extends ErasureFollowerState {
  readonly ok: boolean;
  readonly reason?: string;
}

/** A Redis connection that can be asked for a round trip: the error's message, or null. */
export interface RedisPing {
  ping(timeoutMs?: number): Promise<string | null>;
}

export interface Readiness {
  /** degraded: ready (200) for writes and figures, but a part that is not needed for them fails. */
  readonly status: 'ready' | 'degraded' | 'not-ready';
  /** The names of the checks that failed and make it not ready. */
  readonly failing: readonly string[];
  /** The names of the checks that failed without making it not ready (redis). */
  readonly degraded?: readonly string[];
  readonly checks: {
    /** Only when REDIS_URL is set. */
    readonly redis?: RedisCheck;
    readonly eventStore: EventStoreCheck;
    readonly readModels: ReadModelsCheck;
    /** Only when this process follows the file another process writes (LEDGER_PROJECTIONS=worker). */
    readonly followedFile?: FollowedFileCheck;
    /** Only with shared person keys (LEDGER_PERSON_KEYS=eventstore). */
    readonly erasureFollower?: ErasureFollowerCheck;
  };
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** One line, bounded; any thrown value with a message (not only this realm's Errors). */
function message(e: unknown): string {
  const m = (e as Error | null)?.message;
  return (typeof m === 'string' ? m : String(e)).replace(/\s+/g, ' ').slice(0, 300);
}

/**
 * Why the feed does not keep the read models current, if it does not. The process's own runner:
 * its state and, while running, its subscription's (EventStoreDB reconnecting). A followed file:
 * its condition (the lag, checked apart, tells a worker that stopped).
 */
function feedProblem(feed: ReadModelsFeedState): string | null {
  switch (feed.status) {
    case 'running':
      if (feed.feed?.status === 'reconnecting')
        return `the event-store subscription is reconnecting (${feed.feed.attempts} tries since ${feed.feed.since}): ${feed.feed.lastError}`;
      if (feed.feed?.status === 'stopped')
        return `the event-store subscription stopped${feed.feed.error ? `: ${feed.feed.error}` : ''}`;
      return null;
    case 'following':
      return null;
    case 'restarting':
      return `the read-model feed failed (${feed.failures} times since ${feed.since}) and restarts from its checkpoint with backoff: ${feed.error}`;
    case 'failed':
      return `the read-model feed failed: ${feed.error}`;
    case 'catching-up':
      return 'the read models are catching up with the log';
    case 'waiting':
      return feed.reason;
    case 'stopped':
    case 'not-started':
      return 'the read models are not running in this process';
  }
}

/** Heads of the log this process saw while the read models had not reached them, with when. */
const MAX_OBSERVED = 1000;

/**
 * Ready: the event store answers, the read-model feed runs, and the read models are within the
 * thresholds of the log's head (events behind, and for how long they have been behind). One per
 * process: it remembers the heads it saw for the time a lag has lasted.
 */
export class ReadinessProbe {
  private observed: { position: number; at: number }[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly thresholds: ReadinessThresholds,
    private readonly now: () => number = Date.now,
    private readonly redis: RedisPing | null = null,
    private readonly erasures: () => ErasureFollowerState | null = () => null,
  ) {}

  async probe(): Promise<Readiness> {
    const { eventStore, head } = await this.checkEventStore();
    // Read after the head: a position reached meanwhile only makes the lag look smaller.
    const status = this.readModels.status;

    const reasons: string[] = [];
    const problem = feedProblem(status.feed);
    const follows = status.mode === 'follow';
    // Following, the feed's problems are the file's; the lag stays the read models' own.
    if (problem && !follows) reasons.push(problem);
    const lag = head === null ? {} : await this.checkLag(head, status.reached, reasons);
    const readModels: ReadModelsCheck = {
      ok: reasons.length === 0,
      mode: status.mode,
      feed: status.feed.status,
      reached: status.reached,
      ...lag,
      ...(reasons.length > 0 ? { reasons } : {}),
    };

    const followedFile: FollowedFileCheck | undefined = follows
      ? {
          ok: problem === null,
          file: status.file === null ? null : basename(status.file),
          ...(problem ? { reason: problem } : {}),
        }
      : undefined;

    const failing = [
      ...(eventStore.ok ? [] : ['eventStore']),
      ...(readModels.ok ? [] : ['readModels']),
      ...(followedFile && !followedFile.ok ? ['followedFile'] : []),
    ];
    const redis = await this.checkRedis();
    const erasureFollower = this.checkErasureFollower();
    const degraded = [
      ...(redis && !redis.ok ? ['redis'] : []),
      ...(erasureFollower && !erasureFollower.ok ? ['erasureFollower'] : []),
    ];
    return {
      status: failing.length > 0 ? 'not-ready' : degraded.length > 0 ? 'degraded' : 'ready',
      failing,
      ...(degraded.length > 0 ? { degraded } : {}),
      checks: {
        eventStore,
        readModels,
        ...(followedFile ? { followedFile } : {}),
        ...(redis ? { redis } : {}),
        ...(erasureFollower ? { erasureFollower } : {}),
      },
    };
  }

  private checkErasureFollower(): ErasureFollowerCheck | null {
    const state = this.erasures();
    if (!state) return null;
    if (state.status === 'running') return { ok: true, ...state };
    const why =
      state.status === 'failed'
        ? 'stopped following the erasures of other replicas (restart this replica)'
        : 'not following the erasures of other replicas right now (subscribing again)';
    return {
      ok: false,
      ...state,
      reason: `${why}: a person erased elsewhere may still be opened here until it follows again`,
    };
  }

  private async checkRedis(): Promise<RedisCheck | null> {
    if (!this.redis) return null;
    const error = await this.redis.ping(STORE_TIMEOUT_MS);
    if (error === null) return { ok: true };
    return {
      ok: false,
      reason: `Redis does not answer (${message(error)}): writes and figures go on; jobs neither queue nor run, and rate limits are counted per process`,
    };
  }

  private async checkEventStore(): Promise<{ eventStore: EventStoreCheck; head: number | null }> {
    try {
      const head = await withTimeout(this.store.headPosition(), STORE_TIMEOUT_MS, 'the event store');
      return { eventStore: { ok: true, headPosition: head }, head };
    } catch (e) {
      return { eventStore: { ok: false, reason: `the event store does not answer: ${message(e)}` }, head: null };
    }
  }

  /** How far behind the head the read models are, in positions, events and time; adds why that is too far. */
  private async checkLag(
    head: number,
    reached: number,
    reasons: string[],
  ): Promise<Pick<ReadModelsCheck, 'behind' | 'behindEvents' | 'lagSeconds'>> {
    const { thresholds } = this;
    const behind = Math.max(head - reached, 0);
    let behindEvents = 0;
    if (behind > 0) {
      try {
        const pending = await withTimeout(
          this.store.readAll({ after: reached, maxCount: thresholds.maxBehindEvents + 1 }),
          STORE_TIMEOUT_MS,
          'the event store',
        );
        behindEvents = pending.length;
      } catch (e) {
        reasons.push(`how far the read models are behind could not be read: ${message(e)}`);
      }
    }
    const lagSeconds = this.lagSeconds(head, reached);
    if (behindEvents > thresholds.maxBehindEvents)
      reasons.push(
        `the read models are more than ${thresholds.maxBehindEvents} events behind the log (counted ${behindEvents})`,
      );
    if (lagSeconds > thresholds.maxLagSeconds)
      reasons.push(
        `the read models have been behind the log for ${lagSeconds} s (more than ${thresholds.maxLagSeconds} s)`,
      );
    return { behind, behindEvents, lagSeconds };
  }

  /** Since when the read models have lacked a head this process saw (seconds, one decimal). */
  private lagSeconds(head: number, reached: number): number {
    const now = this.now();
    this.observed = this.observed.filter((o) => o.position > reached);
    const last = this.observed[this.observed.length - 1];
    if (head > reached && (!last || head > last.position)) this.observed.push({ position: head, at: now });
    // Bounded: every other one dropped, the oldest kept (it is the one the lag is measured from).
    if (this.observed.length > MAX_OBSERVED) this.observed = this.observed.filter((_, i) => i % 2 === 0);
    const oldest = this.observed[0];
    return oldest ? Math.round((now - oldest.at) / 100) / 10 : 0;
  }
}
