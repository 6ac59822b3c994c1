import request from 'supertest';
import { REFERENCE, startLedgerTestApp, type LedgerTestApp } from './support/ledger-test-app';
import { startRedisServer, type RedisServer } from './support/redis-server';

// Readiness tells Redis apart from the store and the feed: without Redis the replica still writes
// and answers figures, so it stays in rotation (200) but says it is degraded and why.

describe('health with Redis configured: ready, then degraded when the redis-server stops', () => {
  let redis: RedisServer;
  let t: LedgerTestApp;

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('is ready with Redis answering', async () => {
    const ready = await request(t.base).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', failing: [], checks: { redis: { ok: true } } });
    expect(ready.body.degraded).toBeUndefined();
    expect((await request(t.base).get('/health').expect(200)).body.status).toBe('ok');
  });

  it('answers 200 degraded naming Redis once it is down, while writes go on', async () => {
    await redis.stop();
    const ready = await request(t.base).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'degraded',
      failing: [],
      degraded: ['redis'],
      checks: { eventStore: { ok: true }, readModels: { ok: true }, redis: { ok: false } },
    });
    expect(ready.body.checks.redis.reason).toMatch(/^Redis does not answer .*jobs neither queue nor run/);
    expect((await request(t.base).get('/health').expect(200)).body.status).toBe('degraded');
    await request(t.base).post('/api/v1/projects').set(t.as('admin')).send(REFERENCE).expect(201);
  });
});
