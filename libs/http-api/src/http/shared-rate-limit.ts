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
 * rate-limiter-flexible's counter script replaced by a sliding log: each key is a sorted set of the
 * requests it admitted, scored by Redis's own clock (one clock for every replica, whatever their
 * clocks say). A request is admitted while fewer than the limit were admitted in the last window, so
 * no span of one window ever admits more than the limit: a fixed window's INCR allows twice the limit
 * across its edge. Refused requests are not recorded; a key holds at most `limit` members and expires
 * a window after its last admission. Returns what the library expects: {consumed, ms before next}.
 * KEYS[1]: the key; ARGV: points (always 1 here), window seconds, limit.
 */
export const SLIDING_LOG_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[2]) * 1000000
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n + tonumber(ARGV[1]) > limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local free = oldest[2] and tonumber(oldest[2]) + window - now or window
  return {limit + 1, math.max(1, math.ceil(free / 1000))}
end
redis.call('ZADD', KEYS[1], now, t[1] .. '.' .. t[2] .. ':' .. n)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 1000)
return {n + 1, tonumber(ARGV[2]) * 1000}
`;

/**
 * The request policy of {@link RateLimiter} (per token, reads and writes apart; per address without
 * one), counted in Redis so every api replica on the same Redis shares one budget, in a sliding
 * window of 60 s ({@link SLIDING_LOG_SCRIPT}): no 60 s span admits more than the limit, whichever
 * replicas were asked. When Redis does not answer, each process counts in its own memory (the
 * insurance limiter, a fixed window) until it is back.
 * Keys are a SHA-256 of the token's role and subject, or of the address: no subject or address in
 * clear in Redis.
 */
export class SharedRateLimiter implements RequestLimiter {
  private readonly buckets: Readonly<Record<Bucket, { limit: number; counter: RateLimiterRedis | null }>>;

  constructor(
    storeClient: unknown,
    config: RateLimitConfig,
    keyPrefix = 'ihl:rate',
    /** Tests shorten it to cross a window's edge quickly. */
    private readonly windowSeconds = WINDOW_SECONDS,
  ) {
    const bucket = (name: Bucket, limit: number) => ({
      limit,
      counter:
        limit === 0
          ? null
          : new RateLimiterRedis({
              storeClient,
              keyPrefix: `${keyPrefix}:${name}`,
              points: limit,
              duration: windowSeconds,
              customIncrTtlLuaScript: SLIDING_LOG_SCRIPT,
              rejectIfRedisNotReady: true,
              insuranceLimiter: new RateLimiterMemory({ points: limit, duration: windowSeconds }),
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
        limitExceededMessage(limit, actor ? kind : undefined, this.windowSeconds, retryAfter),
      );
    }
  }
}
