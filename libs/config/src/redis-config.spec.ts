import { ConfigError } from './ledger-config';
import { loadJobWorkerSettings, loadRedisSettings } from './redis-config';

describe('redis and job worker settings', () => {
  it('uses REDIS_URL, or a private redis-server when LEDGER_REDIS=private', () => {
    expect(loadRedisSettings({})).toEqual({ redisUrl: undefined, privateRedis: false });
    expect(loadRedisSettings({ LEDGER_REDIS: 'private' })).toEqual({ redisUrl: undefined, privateRedis: true });
    expect(loadRedisSettings({ REDIS_URL: 'redis://127.0.0.1:6400' }).redisUrl).toBe('redis://127.0.0.1:6400');
    expect(() => loadRedisSettings({ LEDGER_REDIS: 'yes' })).toThrow(ConfigError);
    expect(() => loadRedisSettings({ REDIS_URL: 'localhost' })).toThrow(/REDIS_URL must start with redis:\/\//);
  });

  it('defaults the worker to one job at a time, a 30 s lock and a stalled check as often', () => {
    expect(loadJobWorkerSettings({})).toEqual({ concurrency: 1, lockDurationMs: 30_000, stalledIntervalMs: 30_000 });
    expect(loadJobWorkerSettings({ LEDGER_JOB_LOCK_MS: '2000', LEDGER_JOB_STALLED_CHECK_MS: '1000' })).toMatchObject({
      lockDurationMs: 2000,
      stalledIntervalMs: 1000,
    });
    expect(() => loadJobWorkerSettings({ LEDGER_WORKER_CONCURRENCY: '0' })).toThrow(/LEDGER_WORKER_CONCURRENCY/);
  });
});
