import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, startServe, type Running } from './support/crash-round';
import { PROJECT, tokenFor, validWrite } from './support/hostile-requests';
import { mostAdmittedWithinAWindow, type LimitedRequest } from './support/rate-window';
import { dumpRedis, startRedisServer, type RedisServer } from './support/redis-server';

/**
 * The shared rate limit across two real `ledger serve` PROCESSES on one redis-server, a client
 * alternating between them (test/rate-limit-shared.e2e-spec.ts does the same with two apps in one
 * process, plus Redis going away and the control without Redis). Each process has its own DATA_DIR,
 * as replicas on two machines would: nothing but Redis can carry a token's budget from one to the
 * other. The limiter counts in a sliding window (libs/http-api/src/http/shared-rate-limit.ts), so
 * there is no edge effect to allow for: no span of 60 s admits more than the limit, whichever
 * process was asked.
 */
const READS = 10;
const WRITES = 4;

describe('rate limits across two api processes on one Redis', () => {
  let redis: RedisServer;
  const serves: Running[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const env = {
      REDIS_URL: redis.url,
      RATE_LIMIT_READS_PER_MINUTE: String(READS),
      RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES),
    };
    for (const name of ['a', 'b']) dirs.push(mkdtempSync(join(tmpdir(), `ihl-rate-${name}-`)));
    // One after the other: two compilations at once on a loaded machine take longer than twice one.
    for (const dir of dirs) serves.push(await startServe(dir, env));
  }, 400_000);

  afterAll(async () => {
    for (const s of serves) {
      s.child.kill('SIGTERM');
      await exited(s.child);
    }
    await redis?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const get = async (s: Running, token: string) => {
    const sentAt = Date.now();
    const res = await fetch(`${s.base}${PROJECT}`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { message?: string };
    return { res, body, sentAt, answeredAt: Date.now() };
  };

  it('admits a token 10 reads in all, alternating between the processes, then both answer 429', async () => {
    const token = await tokenFor('processes-auditor', 'agency-auditor');
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await get(serves[i % 2]!, token)).res.status);
    expect(statuses.slice(0, READS)).toEqual(Array(READS).fill(200));
    expect(statuses.slice(READS)).toEqual([429, 429, 429, 429]);
    for (const s of serves) {
      const refused = await get(s, token);
      expect(refused.res.status).toBe(429);
      expect(Number(refused.res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.res.headers.get('ratelimit-limit')).toBe(String(READS));
      expect(refused.body.message).toMatch(/at most 10 reads for this token per 60 s/);
    }
  });

  it('two clients at once, one on each process: no window admits more than the limit between them', async () => {
    const token = await tokenFor('processes-burst', 'agency-auditor');
    const seen: LimitedRequest[] = [];
    await Promise.all(
      serves.map(async (s) => {
        for (let n = 0; n < 40; n++) {
          const r = await get(s, token);
          seen.push({ sentAt: r.sentAt, answeredAt: r.answeredAt, admitted: r.res.status !== 429 });
          if (r.res.status !== 200 && r.res.status !== 429) throw new Error(`answered ${r.res.status}`);
        }
      }),
    );
    expect(mostAdmittedWithinAWindow(60_000, seen)).toBeLessThanOrEqual(READS);
    // Counted alone, each process would have let 10 through within that second: 20 in one window.
    expect(seen.filter((r) => r.admitted).length).toBeGreaterThan(0);
  });

  it('counts writes apart from reads, across both: 4 writes, then 429 on either', async () => {
    const token = await tokenFor('processes-writer', 'partner-submitter', 'visaginas-spc');
    const statuses: number[] = [];
    for (let n = 0; n < 6; n++) {
      const w = validWrite(token, `processes-${n}`, n);
      const s = serves[n % 2]!;
      const res = await fetch(`${s.base}${w.shot.path}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': w.shot.key,
        },
        body: w.shot.body,
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
  });

  it('keeps only hashes in Redis: no subject in clear', async () => {
    const everything = await dumpRedis(redis.url);
    expect(everything).toContain('ihl:rate:read:');
    expect(everything).not.toMatch(/processes-auditor|processes-burst|processes-writer|127\.0\.0\.1/);
  });
});
