import IORedis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { startRedisServer, type RedisServer } from '../../../../test/support/redis-server';
import { mostAdmittedWithinAWindow, type LimitedRequest } from '../../../../test/support/rate-window';
import { SLIDING_LOG_SCRIPT } from './shared-rate-limit';

// The shared limiter's counting script on a real redis-server, with a 4 s window so that a run
// crosses a window's edge: one request, then, late in that window, a stream of requests on into
// the next. The sliding log never lets more than the limit through within one window's span; the
// library's own fixed window (the control) lets up to twice the limit through across the edge.

const LIMIT = 5;
const WINDOW_S = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function edgePattern(
  limiter: RateLimiterRedis,
  key: string,
): Promise<{ requests: LimitedRequest[]; waits: number[] }> {
  const requests: LimitedRequest[] = [];
  const waits: number[] = [];
  const one = async () => {
    const sentAt = Date.now();
    try {
      await limiter.consume(key);
      requests.push({ sentAt, answeredAt: Date.now(), admitted: true });
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      requests.push({ sentAt, answeredAt: Date.now(), admitted: false });
      waits.push(e.msBeforeNext);
    }
  };
  const start = Date.now();
  await one();
  await sleep(WINDOW_S * 750);
  while (Date.now() - start < WINDOW_S * 1750) {
    await one();
    await sleep(5);
  }
  return { requests, waits };
}

describe('the shared limiter counts in a sliding window (Redis, one clock for all replicas)', () => {
  let redis: RedisServer;
  let client: IORedis;
  beforeAll(async () => {
    redis = await startRedisServer();
    client = new IORedis(redis.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  const limiter = (prefix: string, script?: string) =>
    new RateLimiterRedis({
      storeClient: client,
      keyPrefix: prefix,
      points: LIMIT,
      duration: WINDOW_S,
      ...(script ? { customIncrTtlLuaScript: script } : {}),
    });

  it('never admits more than the limit within one window, across its edge', async () => {
    const { requests, waits } = await edgePattern(limiter('sliding', SLIDING_LOG_SCRIPT), 'k');
    expect(mostAdmittedWithinAWindow(WINDOW_S * 1000, requests)).toBeLessThanOrEqual(LIMIT);
    // It does admit: the whole limit late in the first window, then again once the first slid out.
    expect(requests.filter((r) => r.admitted).length).toBeGreaterThan(LIMIT);
    expect(waits.length).toBeGreaterThan(0);
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(1);
      expect(w).toBeLessThanOrEqual(WINDOW_S * 1000);
    }
  });

  it('stores only the requests it admitted, in a key that expires a window after the last', async () => {
    const minute = new RateLimiterRedis({
      storeClient: client,
      keyPrefix: 'stored',
      points: LIMIT,
      duration: 60,
      customIncrTtlLuaScript: SLIDING_LOG_SCRIPT,
    });
    const answers = await Promise.allSettled(Array.from({ length: LIMIT + 3 }, () => minute.consume('k')));
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(LIMIT);
    expect(await client.zcard('stored:k')).toBe(LIMIT);
    const ttl = await client.pttl('stored:k');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('control: the fixed window lets more than the limit through within one window at its edge', async () => {
    const { requests } = await edgePattern(limiter('fixed'), 'k');
    expect(mostAdmittedWithinAWindow(WINDOW_S * 1000, requests)).toBeGreaterThan(LIMIT);
  });
});
