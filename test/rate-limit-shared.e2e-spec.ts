import request from 'supertest';
import { CODE, startLedgerTestApp, type LedgerTestApp } from './support/ledger-test-app';
import { dumpRedis, startRedisServer, type RedisServer } from './support/redis-server';

// Two api processes' worth of apps (separate data directories) on one real redis-server: a token's
// budget is one, whichever replica it asks. Without Redis each counts its own, and the same
// requests get twice through: the control that shows the test can fail.

const LIMITS = { RATE_LIMIT_READS_PER_MINUTE: '10', RATE_LIMIT_WRITES_PER_MINUTE: '4' };

/** Reads of one token alternating between the apps until `n` have been answered; the statuses. */
async function alternate(apps: LedgerTestApp[], n: number, who: 'auditor' | 'finance'): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = apps[i % apps.length]!;
    statuses.push((await request(t.base).get(`/api/v1/projects/${CODE}`).set(t.as(who))).status);
  }
  return statuses;
}

describe('rate limits shared through Redis by two api instances', () => {
  let redis: RedisServer;
  let a: LedgerTestApp;
  let b: LedgerTestApp;

  beforeAll(async () => {
    redis = await startRedisServer();
    a = await startLedgerTestApp(undefined, { ...LIMITS, REDIS_URL: redis.url });
    b = await startLedgerTestApp(undefined, { ...LIMITS, REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('admits a token 10 reads in all across both, then both answer 429 with Retry-After', async () => {
    const statuses = await alternate([a, b], 14, 'auditor');
    expect(statuses.filter((s) => s !== 429)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual([429, 429, 429, 429]);
    const refused = await request(b.base).get(`/api/v1/projects/${CODE}`).set(b.as('auditor')).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['ratelimit-limit']).toBe('10');
    expect(refused.body.message).toMatch(/at most 10 reads for this token per 60 s/);
    // Another token still has its own budget; writes count apart.
    expect((await alternate([b, a], 2, 'finance')).every((s) => s !== 429)).toBe(true);
  });

  it('keeps only hashes in Redis: no subject or role in clear', async () => {
    const everything = await dumpRedis(redis.url);
    expect(everything).toContain('ihl:rate:read:');
    expect(everything).not.toMatch(/auditor-1|finance-1|agency-auditor|127\.0\.0\.1/);
  });

  it('with Redis gone, each process counts in its own memory and answers (no 500)', async () => {
    await redis.stop();
    const statuses = await alternate([a, b], 6, 'finance');
    expect(statuses.every((s) => s === 200 || s === 404)).toBe(true);
  });
});

describe('control: without REDIS_URL each instance counts alone', () => {
  it('lets the same 14 alternating reads through 14 times (10 allowed per instance)', async () => {
    const a = await startLedgerTestApp(undefined, LIMITS);
    const b = await startLedgerTestApp(undefined, LIMITS);
    try {
      const statuses = await alternate([a, b], 14, 'auditor');
      expect(statuses.filter((s) => s !== 429)).toHaveLength(14);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
