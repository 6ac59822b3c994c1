import IORedis from 'ioredis';

/**
 * The Redis connection the api replicas share state through (rate limits, the token deny list,
 * readiness): apart from the job queue's, and failing fast (no offline queue, one try) so a request
 * never waits for Redis to come back. Handed on as `client` (typed unknown): only libs/jobs and the
 * jobs folder of the api import ioredis.
 */
export class SharedStore {
  private readonly redis: IORedis;

  constructor(redisUrl: string, onError: (e: Error) => void = () => undefined) {
    this.redis = new IORedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    this.redis.on('error', onError);
  }

  /** For rate-limiter-flexible's RateLimiterRedis (`storeClient`). */
  get client(): unknown {
    return this.redis;
  }

  /** Whether the connection is up now (no round trip). */
  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  /** Resolves once connected, or after `timeoutMs` whatever the state (start-up need not wait for Redis). */
  async settle(timeoutMs: number): Promise<void> {
    if (this.redis.status === 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      this.redis.once('ready', () => resolve());
    });
    clearTimeout(timer);
  }

  /** A round trip; the error's message when Redis does not answer within `timeoutMs`. */
  async ping(timeoutMs = 2000): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.redis.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SET key 1 with an expiry (seconds); throws when Redis is away. */
  async setWithExpiry(key: string, seconds: number): Promise<void> {
    await this.redis.set(key, '1', 'EX', Math.max(1, Math.ceil(seconds)));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.redis.exists(key)) === 1;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
