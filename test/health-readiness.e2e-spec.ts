import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { loadApiConfig } from '@ihl/config';
import { EsdbEventStore, SqliteEventStore, type EventStore, type NewEvent } from '@ihl/event-store';
import { ProjectionRunner } from '@ihl/projections';
import { currentReadModelFile, ledgerProjections } from '@ihl/runtime';
import { createApiApp } from '@ihl/http-api';
import { BreakableEventStore } from './support/breakable-event-store';
import { startEsdbStandIn, type EsdbStandIn } from './esdb-stand-in/esdb-stand-in.server';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ev = (): NewEvent => ({ eventId: randomUUID(), type: 'SomethingNoted', data: {} });

async function startApp(dir: string, store: EventStore, env: Record<string, string> = {}): Promise<INestApplication> {
  const config = loadApiConfig({
    LEDGER_JWT_SECRET: 'readiness-secret-that-is-long-enough-0123',
    LEDGER_PSEUDONYM_KEY: '1'.repeat(64),
    LEDGER_PROFILE_MASTER_KEY: '2'.repeat(64),
    DATA_DIR: dir,
    ...env,
  });
  const app = await createApiApp({ config, eventStore: store, logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

/** Polls an endpoint until its answer satisfies `ok` (bounded); returns that answer. */
async function until(
  app: INestApplication,
  path: string,
  ok: (res: request.Response) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<request.Response> {
  const base = await app.getUrl();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(base).get(path);
    if (ok(res)) return res;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last answer ${res.status} ${JSON.stringify(res.body)}`);
    await pause(20);
  }
}

const get = async (app: INestApplication, path: string) => request(await app.getUrl()).get(path);

describe('health: alive vs ready, the read models fed by this process (embedded SQLite)', () => {
  let dir: string;
  let sqlite: SqliteEventStore;
  let store: BreakableEventStore;
  let app: INestApplication;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-ready-'));
    sqlite = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
    store = new BreakableEventStore(sqlite);
    for (let i = 0; i < 3; i++) await sqlite.append(`note-${i}`, [ev()], 'no_stream');
    app = await startApp(dir, store, { LEDGER_READY_MAX_BEHIND_EVENTS: '5' });
  });
  afterAll(async () => {
    await app?.close();
    await sqlite?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is alive and ready when the feed follows the log', async () => {
    expect((await get(app, '/health/live')).body).toEqual({ status: 'alive' });
    const head = await sqlite.headPosition();
    const ready = await get(app, '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({
      status: 'ready',
      failing: [],
      checks: {
        eventStore: { ok: true, headPosition: head },
        readModels: {
          ok: true,
          mode: 'run',
          feed: 'running',
          reached: head,
          behind: 0,
          behindEvents: 0,
          lagSeconds: 0,
        },
      },
    });
  });

  it('a feed that broke: 503 naming the read models and why, writes go on, then it heals by itself', async () => {
    await store.break(new Error('disk I/O error (simulated)'));
    for (let i = 0; i < 10; i++) await sqlite.append(`later-${i}`, [ev()], 'no_stream');
    const head = await sqlite.headPosition();

    const notReady = await until(app, '/health/ready', (r) => r.status === 503, 'not ready');
    expect(notReady.headers['retry-after']).toBe('5');
    expect(notReady.body).toMatchObject({
      status: 'not-ready',
      failing: ['readModels'],
      checks: { eventStore: { ok: true, headPosition: head }, readModels: { ok: false, feed: 'restarting' } },
    });
    const reasons: string[] = notReady.body.checks.readModels.reasons;
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/failed .*restarts from its checkpoint.*disk I\/O error \(simulated\)/),
        expect.stringMatching(/more than 5 events behind/),
      ]),
    );
    // The old shape, telling the truth.
    const health = await get(app, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({
      status: 'not-ready',
      eventStore: { headPosition: head },
      readModels: { mode: 'run', reached: expect.any(Number), behind: expect.any(Number), unreadableProfiles: 0 },
    });
    expect(health.body.readModels.behind).toBeGreaterThan(0);
    expect((await get(app, '/health/live')).status).toBe(200);

    // A restart was tried while the feed was still broken, and refused.
    const refusedBefore = store.refusals;
    await until(app, '/health/ready', () => store.refusals > refusedBefore, 'a restart that failed');
    store.heal();
    const ready = await until(app, '/health/ready', (r) => r.status === 200, 'ready again');
    expect(ready.body.checks.readModels).toMatchObject({ ok: true, feed: 'running', reached: head, behind: 0 });
    expect((await get(app, '/health')).body.status).toBe('ok');
  }, 60_000);
});

describe('health over EventStoreDB (gRPC stand-in) whose connection drops', () => {
  let dir: string;
  let standIn: EsdbStandIn;
  let store: EsdbEventStore;
  let app: INestApplication;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-ready-esdb-'));
    standIn = await startEsdbStandIn();
    store = new EsdbEventStore({
      connectionString: standIn.connectionString,
      resubscribe: { initialDelayMs: 20, maxDelayMs: 200 },
    });
    await store.append('note', [ev(), ev()], 'no_stream');
    app = await startApp(dir, store);
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await standIn?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says the store is unreachable and the subscription reconnecting, then ready once the server is back', async () => {
    await until(app, '/health/ready', (r) => r.status === 200, 'ready');
    standIn.refuseCalls(60_000);
    await standIn.dropConnections();
    const notReady = await until(
      app,
      '/health/ready',
      (r) => r.status === 503 && r.body.failing.includes('readModels'),
      'not ready',
    );
    expect(notReady.body).toMatchObject({
      status: 'not-ready',
      failing: ['eventStore', 'readModels'],
      checks: {
        eventStore: { ok: false, reason: expect.stringMatching(/^the event store does not answer/) },
        readModels: { ok: false, feed: 'running' },
      },
    });
    expect(notReady.body.checks.readModels.reasons).toEqual([
      expect.stringMatching(/^the event-store subscription is reconnecting \(\d+ tries since .*\): /),
    ]);

    standIn.refuseCalls(0);
    await until(app, '/health/ready', (r) => r.status === 200, 'ready again');
    // Appends go on, and the read models follow them again.
    await store.append('note', [ev(), ev(), ev()], 1);
    const head = await store.headPosition();
    const ready = await until(
      app,
      '/health/ready',
      (r) => r.status === 200 && r.body.checks.readModels.reached === head,
      'the read models at the head',
    );
    expect(ready.body.checks.readModels).toMatchObject({ ok: true, feed: 'running', behind: 0 });
  }, 60_000);
});

describe('health when the api follows the file another process feeds (LEDGER_PROJECTIONS=worker)', () => {
  let dir: string;
  let store: SqliteEventStore;
  let app: INestApplication;
  let worker: ProjectionRunner | null = null;
  const startWorker = async () => {
    worker = new ProjectionRunner({
      store,
      file: currentReadModelFile(dir),
      projections: ledgerProjections(() => null),
    });
    await worker.start();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-ready-follow-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), pollIntervalMs: 10 });
    for (let i = 0; i < 3; i++) await store.append(`note-${i}`, [ev()], 'no_stream');
    app = await startApp(dir, store, { LEDGER_PROJECTIONS: 'worker', LEDGER_READY_MAX_BEHIND_EVENTS: '5' });
  });
  afterAll(async () => {
    await app?.close();
    await worker?.stop();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the missing file, is ready once it is fed, and not ready when its feeder stops while the log grows', async () => {
    // No worker has written the file yet.
    const missing = await get(app, '/health/ready');
    expect(missing.status).toBe(503);
    expect(missing.body).toMatchObject({
      status: 'not-ready',
      failing: ['followedFile'],
      checks: {
        readModels: { ok: true, mode: 'follow', feed: 'waiting', behindEvents: 3 },
        followedFile: {
          ok: false,
          file: null,
          reason: expect.stringMatching(/^no read-model file read-models.sqlite yet/),
        },
      },
    });

    await startWorker();
    const ready = await until(app, '/health/ready', (r) => r.status === 200, 'ready');
    expect(ready.body.checks).toMatchObject({
      readModels: { ok: true, mode: 'follow', feed: 'following', behind: 0 },
      followedFile: { ok: true, file: 'read-models.sqlite' },
    });

    // The worker dies; the log goes on growing.
    await worker!.stop();
    worker = null;
    for (let i = 0; i < 8; i++) await store.append(`later-${i}`, [ev()], 'no_stream');
    const behind = await get(app, '/health/ready');
    expect(behind.status).toBe(503);
    expect(behind.body).toMatchObject({
      failing: ['readModels'],
      checks: {
        readModels: { ok: false, feed: 'following', behindEvents: 6 },
        followedFile: { ok: true },
      },
    });
    expect(behind.body.checks.readModels.reasons).toEqual([
      'the read models are more than 5 events behind the log (counted 6)',
    ]);

    await startWorker();
    await until(app, '/health/ready', (r) => r.status === 200 && r.body.checks.readModels.behind === 0, 'caught up');
  }, 60_000);
});
