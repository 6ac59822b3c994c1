import request from 'supertest';
import { startLedgerTestApp, type LedgerTestApp } from './support/ledger-test-app';
import { startRedisServer, type RedisServer } from './support/redis-server';

/** bull-board at /admin/queues, behind the API's own token check: administrators only. */
describe('the administrators’ queue board', () => {
  let redis: RedisServer;
  let t: LedgerTestApp;
  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { REDIS_URL: redis.url });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('refuses anyone but an administrator: 401 without or with a bad token, 403 for other roles', async () => {
    for (const path of ['/admin/queues/', '/admin/queues/api/queues']) {
      const none = await request(t.base).get(path).expect(401);
      expect(none.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      await request(t.base).get(path).set('Authorization', 'Bearer not.a.token').expect(401);
      await request(t.base).get(path).set('Cookie', 'ihl_queue_board=not.a.token').expect(401);
      for (const who of ['auditor', 'finance', 'partnerA'] as const) {
        const refused = await request(t.base).get(path).set(t.as(who)).expect(403);
        expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      }
    }
  });

  it('shows an administrator the board’s page and its API, with the ledger queue', async () => {
    const page = await request(t.base).get('/admin/queues/').set(t.as('admin')).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toMatch(/<html/i);
    const api = await request(t.base).get('/admin/queues/api/queues').set(t.as('admin')).expect(200);
    expect(JSON.stringify(api.body)).toContain('"ledger"');
  });

  it('a browser gets a short-lived HttpOnly cookie for the board from an administrator’s POST', async () => {
    await request(t.base).post('/api/v1/admin/queues/session').set(t.as('auditor')).expect(403);
    const session = await request(t.base).post('/api/v1/admin/queues/session').set(t.as('admin')).expect(204);
    const cookie = String(session.headers['set-cookie']);
    expect(cookie).toMatch(/^ihl_queue_board=[^;]+; Max-Age=900; Path=\/admin\/queues; HttpOnly; SameSite=Strict/);
    const page = await request(t.base).get('/admin/queues/').set('Cookie', cookie.split(';')[0]!).expect(200);
    expect(page.text).toMatch(/<html/i);
  });
});

describe('the queue board without Redis', () => {
  let t: LedgerTestApp;
  beforeAll(async () => {
    t = await startLedgerTestApp(undefined, { RATE_LIMIT_ANONYMOUS_PER_MINUTE: '2' });
  }, 60_000);
  afterAll(() => t?.close());

  it('says the job queue is not configured (503), still to administrators only', async () => {
    await request(t.base).get('/admin/queues/').set(t.as('auditor')).expect(403);
    const res = await request(t.base).get('/admin/queues/').set(t.as('admin')).expect(503);
    expect(res.body.message).toMatch(/job queue is not configured/);
    expect(res.headers['retry-after']).toBe('30');
    const job = await request(t.base).post('/api/v1/admin/jobs/rebuild').set(t.as('admin')).expect(503);
    expect(job.body.message).toMatch(/job queue is not configured/);
  });

  it('is rate-limited as the API is: refused tokens count per address, then 429', async () => {
    await request(t.base).get('/admin/queues/').expect(401);
    await request(t.base).get('/admin/queues/').set('Authorization', 'Bearer forged.token.here').expect(401);
    const limited = await request(t.base).get('/admin/queues/').expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.body.message).toMatch(/rate limit exceeded/);
  });
});
