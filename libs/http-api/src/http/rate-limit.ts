import { HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '@ihl/application';

/** Reads (GET, HEAD, OPTIONS) and writes (everything else) have separate budgets. */
export type RequestKind = 'read' | 'write';

export interface RateLimitOptions {
  /** Requests per window for one token (subject + role) on reads; default 600. 0 switches the limit off. */
  readonly readsPerWindow?: number;
  /** Requests per window for one token on writes; default 120. 0 switches the limit off. */
  readonly writesPerWindow?: number;
  /** Requests per window from one IP without a valid token (public routes, 401s); default 300. 0: off. */
  readonly anonymousPerWindow?: number;
  /** Window length; default 60000 ms. */
  readonly windowMs?: number;
  /** Most keys remembered; the least recently seen are forgotten beyond it. Default 100000. */
  readonly maxKeys?: number;
  /** Milliseconds clock (tests). */
  readonly now?: () => number;
}

export const DEFAULT_RATE_LIMITS = {
  readsPerWindow: 600,
  writesPerWindow: 120,
  anonymousPerWindow: 300,
  windowMs: 60_000,
  maxKeys: 100_000,
} as const;

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Whole seconds until a request would be admitted (0 when allowed). */
  readonly retryAfterSeconds: number;
}

interface Counter {
  windowStart: number;
  previous: number;
  current: number;
}

/**
 * Sliding-window counter (the previous fixed window's count, weighted by how much of it still
 * overlaps the sliding window, plus the current window's count): O(1) memory per key, no burst of
 * twice the limit across a window boundary. In memory, per process.
 */
export class SlidingWindowCounter {
  private readonly counters = new Map<string, Counter>();
  private lastSweep: number;

  constructor(
    readonly windowMs: number,
    private readonly maxKeys: number,
    private readonly now: () => number,
  ) {
    if (!Number.isInteger(windowMs) || windowMs < 1000) throw new TypeError('rate limit: windowMs must be ≥ 1000');
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new TypeError('rate limit: maxKeys must be ≥ 1');
    this.lastSweep = now();
  }

  get size(): number {
    return this.counters.size;
  }

  /** Counts one request against `key` if the limit allows it. */
  consume(key: string, limit: number): RateLimitDecision {
    const W = this.windowMs;
    const now = this.now();
    const start = now - (now % W);
    if (now - this.lastSweep >= W) this.sweep(start);
    let c = this.counters.get(key);
    if (c) {
      this.counters.delete(key); // re-inserted below: the map stays in least-recently-seen order
      if (c.windowStart !== start) {
        c.previous = start - c.windowStart === W ? c.current : 0;
        c.current = 0;
        c.windowStart = start;
      }
    } else {
      while (this.counters.size >= this.maxKeys) this.counters.delete(this.counters.keys().next().value!);
      c = { windowStart: start, previous: 0, current: 0 };
    }
    this.counters.set(key, c);
    const elapsed = now - start;
    const estimate = (c.previous * (W - elapsed)) / W + c.current;
    if (estimate + 1 <= limit) {
      c.current++;
      return { allowed: true, limit, remaining: Math.max(0, Math.floor(limit - estimate - 1)), retryAfterSeconds: 0 };
    }
    let waitMs: number;
    if (c.current + 1 <= limit) {
      // The current window has room: wait until enough of the previous window has slid out.
      waitMs = W - elapsed - ((limit - c.current - 1) * W) / c.previous;
    } else {
      // The current window alone is full: wait for the next one, then for this one to slide out enough.
      waitMs = W - elapsed + Math.max(0, W - ((limit - 1) * W) / c.current);
    }
    return { allowed: false, limit, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Forgets counters whose windows have both passed (the map is in least-recently-seen order). */
  private sweep(currentStart: number): void {
    this.lastSweep = this.now();
    for (const [key, c] of this.counters) {
      if (c.windowStart >= currentStart - this.windowMs) break;
      this.counters.delete(key);
    }
  }
}

/** Counts a request (the in-memory {@link RateLimiter}, or the Redis-backed SharedRateLimiter). */
export interface RequestLimiter {
  /** Throws RateLimitExceededException (with `Retry-After` set) when over the limit. */
  admit(req: Request, res: Response, actor: Actor | undefined): void | Promise<void>;
}

/** The 429's message: the same words whichever limiter refused. */
export function limitExceededMessage(
  limit: number,
  kind: RequestKind | undefined,
  windowSeconds: number,
  retryAfterSeconds: number,
): string {
  const who = kind ? `${kind}s for this token` : 'requests without a valid token from this address';
  return `rate limit exceeded: at most ${limit} ${who} per ${windowSeconds} s; retry after ${retryAfterSeconds} s`;
}

/** 429 with the retry delay; its body is `{ statusCode: 429, error: 'Too Many Requests', message }`. */
export class RateLimitExceededException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super({ statusCode: 429, error: 'Too Many Requests', message }, 429);
  }
}

/**
 * The request policy: an authenticated request counts against its token's subject and role (reads
 * and writes apart), anything without a valid token against the client IP. Called by the AuthGuard
 * once it knows who is asking, so a limit never keys on an unverified claim.
 */
export class RateLimiter implements RequestLimiter {
  private readonly counter: SlidingWindowCounter;
  private readonly limits: Readonly<Record<RequestKind | 'anonymous', number>>;

  constructor(options: RateLimitOptions = {}) {
    const limit = (name: keyof typeof DEFAULT_RATE_LIMITS & `${string}PerWindow`) => {
      const v = options[name] ?? DEFAULT_RATE_LIMITS[name];
      if (!Number.isInteger(v) || v < 0) throw new TypeError(`rate limit: ${name} must be a whole number ≥ 0`);
      return v;
    };
    this.limits = {
      read: limit('readsPerWindow'),
      write: limit('writesPerWindow'),
      anonymous: limit('anonymousPerWindow'),
    };
    this.counter = new SlidingWindowCounter(
      options.windowMs ?? DEFAULT_RATE_LIMITS.windowMs,
      options.maxKeys ?? DEFAULT_RATE_LIMITS.maxKeys,
      options.now ?? Date.now,
    );
  }

  static kindOf(method: string): RequestKind {
    return ['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase()) ? 'read' : 'write';
  }

  /** Counts the request; throws RateLimitExceededException (with `Retry-After` set) when over the limit. */
  admit(req: Request, res: Response, actor: Actor | undefined): void {
    const kind = RateLimiter.kindOf(req.method);
    const limit = actor ? this.limits[kind] : this.limits.anonymous;
    if (limit === 0) return;
    const key = actor
      ? JSON.stringify(['token', actor.role, actor.subject, kind])
      : JSON.stringify(['ip', req.ip ?? req.socket.remoteAddress ?? 'unknown']);
    const d = this.counter.consume(key, limit);
    res.setHeader('RateLimit-Limit', String(d.limit));
    res.setHeader('RateLimit-Remaining', String(d.remaining));
    if (d.allowed) return;
    res.setHeader('Retry-After', String(d.retryAfterSeconds));
    const seconds = Math.round(this.counter.windowMs / 1000);
    throw new RateLimitExceededException(
      d.retryAfterSeconds,
      limitExceededMessage(limit, actor ? kind : undefined, seconds, d.retryAfterSeconds),
    );
  }
}

/**
 * Public routes that are never rate-limited: the health probes. Exempt rather than given a bucket of
 * its own, because a probe must keep answering: behind a proxy every client may share the proxy's
 * address, and any bucket keyed on it could be filled by anyone asking /health through the proxy,
 * failing the orchestrator's probe and restarting a healthy api. /health costs a head-position
 * read and in-memory counters, and says nothing secret; paths that match no route are not
 * limited either. Matched on the route (not the raw URL), so /HEALTH or /health/ count the same.
 */
export const UNLIMITED_PUBLIC_ROUTES: readonly string[] = ['/health', '/health/live', '/health/ready'];

/** Whether the request is a read of an {@link UNLIMITED_PUBLIC_ROUTES} route. */
export function isUnlimitedProbe(req: Request): boolean {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  return (
    RateLimiter.kindOf(req.method) === 'read' &&
    typeof route?.path === 'string' &&
    UNLIMITED_PUBLIC_ROUTES.includes(route.path)
  );
}

export const RATE_LIMITER = Symbol('RATE_LIMITER');

/** The API settings that tune the limiter (requests per minute; 0 switches a limit off). */
export interface RateLimitConfig {
  readonly rateLimitReadsPerMinute?: number;
  readonly rateLimitWritesPerMinute?: number;
  readonly rateLimitAnonymousPerMinute?: number;
}

export function rateLimiterFromConfig(config: RateLimitConfig): RateLimiter {
  return new RateLimiter({
    windowMs: 60_000,
    ...(config.rateLimitReadsPerMinute !== undefined ? { readsPerWindow: config.rateLimitReadsPerMinute } : {}),
    ...(config.rateLimitWritesPerMinute !== undefined ? { writesPerWindow: config.rateLimitWritesPerMinute } : {}),
    ...(config.rateLimitAnonymousPerMinute !== undefined
      ? { anonymousPerWindow: config.rateLimitAnonymousPerMinute }
      : {}),
  });
}
