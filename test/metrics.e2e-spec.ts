import request from 'supertest';
import { containsPersonalCode } from '@ihl/privacy';
import { CODE, seedProject, startLedgerTestApp, type LedgerTestApp } from './support/ledger-test-app';
import { PERSONS, SERVICE_PATH, serviceBody } from './support/personal-data-scenario';
import { sample } from './support/metrics-sample';
import { startRedisServer, type RedisServer } from './support/redis-server';

const METRICS_TOKEN = 'metrics-scraper-secret-0123456789abcdef';

describe('GET /metrics: Prometheus text for the bearer of LEDGER_METRICS_TOKEN', () => {
  let redis: RedisServer;
  let t: LedgerTestApp;
  const scrape = async () =>
    (await request(t.base).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200)).text;

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { LEDGER_METRICS_TOKEN: METRICS_TOKEN, REDIS_URL: redis.url });
    await seedProject(t);
    // Concurrent writes: the group commit may put several in one transaction.
    await Promise.all(
      PERSONS.map((p) =>
        request(t.base).post(SERVICE_PATH(CODE)).set(t.as('partnerA')).send(serviceBody(p.code, p.profile)),
      ),
    );
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it('refuses anyone without the metrics token, ledger tokens included', async () => {
    await request(t.base).get('/metrics').expect(401);
    await request(t.base).get('/metrics').set(t.as('admin')).expect(401);
    const wrong = await request(t.base).get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`).expect(401);
    expect(wrong.headers['www-authenticate']).toMatch(/Bearer/);
    expect(wrong.text).not.toContain('ihl_');
  });

  it('counts commits, appends and events, and the group sizes, as the store does', async () => {
    const text = await scrape();
    const stats = t.store.stats();
    expect(sample(text, 'ihl_event_store_commits_total')).toBe(stats.commits);
    expect(sample(text, 'ihl_event_store_appends_total')).toBe(stats.appends);
    expect(sample(text, 'ihl_event_store_events_total')).toBe(stats.events);
    expect(stats.appends).toBeGreaterThanOrEqual(2 + PERSONS.length);
    expect(sample(text, 'ihl_event_store_group_commit_appends_count')).toBe(stats.commits);
    expect(sample(text, 'ihl_event_store_group_commit_appends_sum')).toBe(stats.appends);
  });

  it('gives the head, the read models lag, the job counts and the HTTP latencies by route template', async () => {
    const head = await t.store.headPosition();
    const text = await scrape();
    expect(sample(text, 'ihl_event_store_head_position')).toBe(head);
    expect(sample(text, 'ihl_projection_lag_positions{projection="read-models"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'ihl_job_queue_up')).toBe(1);
    expect(sample(text, 'ihl_jobs{queue="ledger",state="waiting"}')).toBe(0);
    expect(sample(text, 'ihl_jobs{queue="ledger",state="failed"}')).toBe(0);
    const route = '/api/v1/projects/:code/activities/service-deliveries';
    expect(sample(text, `ihl_http_request_duration_seconds_count{method="POST",route="${route}",status="201"}`)).toBe(
      PERSONS.length,
    );
    expect(containsPersonalCode(text)).toBe(false);
  });

  it('says the job queue is down while Redis is', async () => {
    await redis.stop();
    const text = await scrape();
    expect(sample(text, 'ihl_job_queue_up')).toBe(0);
    expect(text).not.toMatch(/^ihl_jobs\{/m);
  });
});

describe('GET /metrics without LEDGER_METRICS_TOKEN', () => {
  it('does not exist (404), whoever asks', async () => {
    const t = await startLedgerTestApp();
    try {
      await request(t.base).get('/metrics').set(t.as('admin')).expect(404);
    } finally {
      await t.close();
    }
  });
});
