import fc from 'fast-check';
import type { Request, Response } from 'express';
import { RateLimitExceededException, RateLimiter, SlidingWindowCounter, rateLimiterFromConfig } from './rate-limit';

const W = 60_000;

describe('SlidingWindowCounter', () => {
  it('admits up to the limit in a window, then answers how long to wait', () => {
    let now = 10 * W; // start of a window
    const c = new SlidingWindowCounter(W, 1000, () => now);
    for (let i = 0; i < 5; i++) expect(c.consume('k', 5)).toMatchObject({ allowed: true, remaining: 4 - i });
    const denied = c.consume('k', 5);
    expect(denied).toMatchObject({ allowed: false, remaining: 0 });
    // Full in the current window: the rest of it (60 s), then until 1 of the 5 has slid out (12 s).
    expect(denied.retryAfterSeconds).toBe(72);
    now += 71_999;
    expect(c.consume('k', 5).allowed).toBe(false);
    now += 1;
    expect(c.consume('k', 5).allowed).toBe(true);
  });

  it('keeps keys apart', () => {
    const now = 0;
    const c = new SlidingWindowCounter(W, 1000, () => now);
    expect(c.consume('a', 1).allowed).toBe(true);
    expect(c.consume('a', 1).allowed).toBe(false);
    expect(c.consume('b', 1).allowed).toBe(true);
  });

  it('weights the previous window, so there is no double burst at a boundary', () => {
    let now = W - 1;
    const c = new SlidingWindowCounter(W, 1000, () => now);
    for (let i = 0; i < 10; i++) expect(c.consume('k', 10).allowed).toBe(true);
    now = W; // a fixed window would admit 10 more right now
    const d = c.consume('k', 10);
    expect(d.allowed).toBe(false);
    now = W + 6_000; // 10 % of the previous window slid out: one more fits
    expect(c.consume('k', 10).allowed).toBe(true);
    expect(c.consume('k', 10).allowed).toBe(false);
  });

  it('forgets idle keys and never holds more than maxKeys', () => {
    let now = 0;
    const c = new SlidingWindowCounter(W, 3, () => now);
    for (const k of ['a', 'b', 'c', 'd']) c.consume(k, 1);
    expect(c.size).toBe(3);
    expect(c.consume('a', 1).allowed).toBe(true); // 'a' was the least recently seen: forgotten
    now = 3 * W;
    c.consume('e', 1);
    expect(c.size).toBe(1);
  });

  it('property: whatever the arrivals, a fixed window never admits more than the limit, and a denied caller is admitted after Retry-After', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
        (limit, gaps) => {
          let now = 1_000_000;
          const c = new SlidingWindowCounter(W, 10, () => now);
          const admitted = new Map<number, number>();
          for (const gap of gaps) {
            now += gap;
            const d = c.consume('k', limit);
            if (d.allowed) {
              const w = Math.floor(now / W);
              admitted.set(w, (admitted.get(w) ?? 0) + 1);
              expect(admitted.get(w)!).toBeLessThanOrEqual(limit);
            } else {
              expect(d.retryAfterSeconds).toBeGreaterThanOrEqual(1);
              expect(d.retryAfterSeconds).toBeLessThanOrEqual(2 * W);
              const probe = new SlidingWindowCounter(W, 10, () => now + d.retryAfterSeconds * 1000);
              // Same state, later: replay this counter's view through a clone of its state.
              Object.assign(probe, { counters: structuredClone((c as unknown as { counters: unknown }).counters) });
              expect(probe.consume('k', limit).allowed).toBe(true);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('RateLimiter', () => {
  const req = (method: string, ip = '10.0.0.1') => ({ method, ip, socket: {} }) as unknown as Request;
  const res = () => {
    const headers: Record<string, string> = {};
    return {
      headers,
      setHeader: (k: string, v: string) => {
        headers[k.toLowerCase()] = v;
      },
    } as unknown as Response & { headers: Record<string, string> };
  };
  const alice = { subject: 'alice', role: 'admin' } as const;
  const bob = { subject: 'bob', role: 'admin' } as const;

  it('limits each token on reads and on writes apart, and says when to retry', () => {
    const now = 0;
    const limiter = new RateLimiter({ readsPerWindow: 2, writesPerWindow: 1, anonymousPerWindow: 1, now: () => now });
    limiter.admit(req('GET'), res(), alice);
    limiter.admit(req('HEAD'), res(), alice);
    limiter.admit(req('POST'), res(), alice);
    const r = res();
    let thrown: unknown;
    try {
      limiter.admit(req('GET'), r, alice);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RateLimitExceededException);
    const e = thrown as RateLimitExceededException;
    expect(e.getStatus()).toBe(429);
    expect(e.getResponse()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/at most 2 reads for this token per 60 s; retry after \d+ s/),
    });
    expect(r.headers['retry-after']).toBe(String(e.retryAfterSeconds));
    expect(() => limiter.admit(req('DELETE'), res(), alice)).toThrow(RateLimitExceededException);
    expect(() => limiter.admit(req('GET'), res(), bob)).not.toThrow();
    // The same subject under another role is another token.
    expect(() => limiter.admit(req('GET'), res(), { subject: 'alice', role: 'agency-auditor' })).not.toThrow();
  });

  it('limits requests without a valid token per IP', () => {
    const limiter = new RateLimiter({ anonymousPerWindow: 1, now: () => 0 });
    limiter.admit(req('GET', '10.0.0.1'), res(), undefined);
    expect(() => limiter.admit(req('POST', '10.0.0.1'), res(), undefined)).toThrow(/from this address/);
    expect(() => limiter.admit(req('GET', '10.0.0.2'), res(), undefined)).not.toThrow();
    // A token is counted on its own, not against its address.
    expect(() => limiter.admit(req('GET', '10.0.0.1'), res(), alice)).not.toThrow();
  });

  it('0 switches a limit off; bad limits are refused', () => {
    const limiter = new RateLimiter({ readsPerWindow: 0, now: () => 0 });
    for (let i = 0; i < 1000; i++) limiter.admit(req('GET'), res(), alice);
    expect(() => new RateLimiter({ writesPerWindow: -1 })).toThrow(/writesPerWindow/);
    expect(() => new RateLimiter({ readsPerWindow: 1.5 })).toThrow(/readsPerWindow/);
    expect(() => new RateLimiter({ windowMs: 10 })).toThrow(/windowMs/);
  });

  it('takes per-minute limits from the API config', () => {
    const limiter = rateLimiterFromConfig({ rateLimitReadsPerMinute: 1 });
    limiter.admit(req('GET'), res(), alice);
    expect(() => limiter.admit(req('GET'), res(), alice)).toThrow(/per 60 s/);
    limiter.admit(req('POST'), res(), alice); // writes keep the default
  });
});
