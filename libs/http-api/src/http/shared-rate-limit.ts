import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Actor } from '@ihl/application';
import {
  DEFAULT_RATE_LIMITS,
  RateLimitExceededException,
  RateLimiter,
  limitExceededMessage,
  type RateLimitConfig,
  type RequestKind,
  type RequestLimiter,
} from './rate-limit';

type Bucket = RequestKind | 'anonymous';

const WINDOW_SECONDS = 60;

/**
 * The request policy of {@link RateLimiter} (per token, reads and writes apart; per address without
 * one), counted in Redis so every api replica on the same Redis shares one budget. Fixed windows
 * of 60 s (rate-limiter-flexible's, one atomic INCR per request), not the in-memory sliding window:
 * at a window's edge a client may get up to twice its limit within a minute. When Redis does not
 * answer, each process counts in its own memory (the insurance limiter) until it is back.
 * Keys are a SHA-256 of the token's role and subject, or of the address: no subject or address in
 * clear in Redis.
 */
export class SharedRateLimiter implements RequestLimiter {
  private readonly buckets: Readonly<Record<Bucket, { limit: number; counter: RateLimiterRedis | null }>>;

  constructor(storeClient: unknown, config: RateLimitConfig, keyPrefix = 'ihl:rate') {
    const bucket = (name: Bucket, limit: number) => ({
      limit,
      counter:
        limit === 0
          ? null
          : new RateLimiterRedis({
              storeClient,
              keyPrefix: `${keyPrefix}:${name}`,
              points: limit,
              duration: WINDOW_SECONDS,
              rejectIfRedisNotReady: true,
              insuranceLimiter: new RateLimiterMemory({ points: limit, duration: WINDOW_SECONDS }),
            }),
    });
    this.buckets = {
      read: bucket('read', config.rateLimitReadsPerMinute ?? DEFAULT_RATE_LIMITS.readsPerWindow),
      write: bucket('write', config.rateLimitWritesPerMinute ?? DEFAULT_RATE_LIMITS.writesPerWindow),
      anonymous: bucket('anonymous', config.rateLimitAnonymousPerMinute ?? DEFAULT_RATE_LIMITS.anonymousPerWindow),
    };
  }

  async admit(req: Request, res: Response, actor: Actor | undefined): Promise<void> {
    const kind = RateLimiter.kindOf(req.method);
    const { limit, counter } = this.buckets[actor ? kind : 'anonymous'];
    if (!counter) return;
    const who = actor
      ? JSON.stringify(['token', actor.role, actor.subject])
      : JSON.stringify(['ip', req.ip ?? req.socket.remoteAddress ?? 'unknown']);
    const key = createHash('sha256').update(who).digest('base64url');
    res.setHeader('RateLimit-Limit', String(limit));
    try {
      const r = await counter.consume(key);
      res.setHeader('RateLimit-Remaining', String(r.remainingPoints));
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      res.setHeader('RateLimit-Remaining', '0');
      res.setHeader('Retry-After', String(retryAfter));
      throw new RateLimitExceededException(
        retryAfter,
        limitExceededMessage(limit, actor ? kind : undefined, WINDOW_SECONDS, retryAfter),
      );
    }
  }
}
