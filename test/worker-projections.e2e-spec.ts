import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import {
  TEST_KEYS,
  lithuanianCode,
  seedProject,
  startLedgerTestApp,
  type LedgerTestApp,
  url,
} from './support/ledger-test-app';
import { startRedisServer, type RedisServer } from './support/redis-server';

const ROOT = join(__dirname, '..');

/**
 * LEDGER_PROJECTIONS=worker: the worker process (with a real Redis) feeds the read models, the api
 * only reads their file; read-your-writes still holds across the two processes.
 */
describe('the projection runner hosted by the worker', () => {
  let t: LedgerTestApp;
  let redis: RedisServer;
  let worker: ChildProcess;
  let workerOutput = '';
  const serve = (personalCode: string, who: 'partnerA' | 'partnerB' = 'partnerA') =>
    request(t.base)
      .post(url('/activities/service-deliveries'))
      .set(t.as(who))
      .send({
        occurredOn: '2024-05-01',
        service: 'care',
        targetGroup: 'elderly',
        setting: 'home',
        durationMinutes: 30,
        recipient: { personalCode, profile: { sex: 'female', birthYear: 1940 } },
      })
      .expect(201);

  const startWorker = () => {
    workerOutput = '';
    worker = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...TEST_KEYS, DATA_DIR: t.dir, REDIS_URL: redis.url, LEDGER_PROJECTIONS: 'worker' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (c: Buffer) => (workerOutput += c.toString()));
    worker.stderr!.on('data', (c: Buffer) => (workerOutput += c.toString()));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${workerOutput}`)), 30_000);
      const check = setInterval(() => {
        if (workerOutput.includes('listening on queue')) {
          clearInterval(check);
          clearTimeout(timer);
          resolve();
        }
      }, 50);
      worker.once('exit', (code) => {
        clearInterval(check);
        clearTimeout(timer);
        reject(new Error(`worker exited with ${code}: ${workerOutput}`));
      });
    });
  };
  const stopWorker = () =>
    new Promise<void>((resolve) => {
      if (worker.exitCode !== null) return resolve();
      worker.removeAllListeners('exit');
      worker.once('exit', () => resolve());
      worker.kill('SIGTERM');
    });

  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startLedgerTestApp(undefined, { LEDGER_PROJECTIONS: 'worker', REDIS_URL: redis.url });
    await seedProject(t);
  }, 30_000);
  afterAll(async () => {
    await stopWorker();
    await t.close();
    await redis.stop();
  });

  it('answers 503 with a retry hint until the worker has built the read models', async () => {
    const res = await request(t.base).get(url('/progress')).set(t.as('auditor')).expect(503);
    expect(res.headers['retry-after']).toBe('1');
  });

  it('serves figures the worker computed, waiting for the position a write returned', async () => {
    await startWorker();
    expect(workerOutput).toContain('feeding the read models');
    const first = await serve(lithuanianCode('4450301123'));
    const second = await serve(lithuanianCode('3470702123'), 'partnerB');
    const res = await request(t.base)
      .get(url(`/progress?position=${second.body.position}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(res.body.position).toBeGreaterThanOrEqual(second.body.position);
    expect(res.body.personsReached).toBe(2);
    // Profiles are opened by the worker with the same keys: both women born 1940, 55 and over.
    expect(res.body.bySex).toMatchObject({ female: 2 });
    expect(res.body.byAgeBand).toMatchObject({ '55-plus': 2 });
    expect(first.body.position).toBeLessThan(second.body.position);
  }, 60_000);

  it('without the worker the api does not move: a newer position gets 503, older figures still answer', async () => {
    await stopWorker();
    const third = await serve(lithuanianCode('4500303123'));
    const waited = await request(t.base)
      .get(url(`/progress?position=${third.body.position}`))
      .set(t.as('auditor'))
      .expect(503);
    expect(waited.body.message).toMatch(/have reached position \d+, not yet \d+/);
    expect(waited.headers['retry-after']).toBe('1');
    const stale = await request(t.base).get(url('/progress')).set(t.as('auditor')).expect(200);
    expect(stale.body.personsReached).toBe(2);
    // Restarted, the worker catches up from its checkpoint.
    await startWorker();
    const caughtUp = await request(t.base)
      .get(url(`/progress?position=${third.body.position}`))
      .set(t.as('auditor'))
      .expect(200);
    expect(caughtUp.body.personsReached).toBe(3);
  }, 60_000);
});
