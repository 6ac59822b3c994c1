import { ConfigError } from './ledger-config';

type Env = Readonly<Record<string, string | undefined>>;

/** Where the job queue lives, and how the worker runs its jobs. */
export interface RedisSettings {
  /** REDIS_URL: an operator's Redis; it wins over a private one. */
  readonly redisUrl: string | undefined;
  /** LEDGER_REDIS=private: without REDIS_URL, start (or reuse) a redis-server under DATA_DIR/redis. */
  readonly privateRedis: boolean;
}

export interface JobWorkerSettings {
  /** Jobs one worker runs at once (LEDGER_WORKER_CONCURRENCY, default 1). */
  readonly concurrency: number;
  /** A job whose worker stopped renewing its lock this long ago is handed to another (ms). */
  readonly lockDurationMs: number;
  /** How often the worker looks for such stalled jobs (ms). */
  readonly stalledIntervalMs: number;
}

function optional(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function whole(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = optional(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${v}")`);
  return Number(v);
}

export function loadRedisSettings(env: Env): RedisSettings {
  const redisUrl = optional(env, 'REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl))
    throw new ConfigError('REDIS_URL', `must start with redis:// or rediss:// (got "${redisUrl}")`);
  const mode = optional(env, 'LEDGER_REDIS') ?? 'external';
  if (mode !== 'private' && mode !== 'external')
    throw new ConfigError('LEDGER_REDIS', `must be one of private, external (got "${mode}")`);
  return { redisUrl, privateRedis: mode === 'private' };
}

export function loadJobWorkerSettings(env: Env): JobWorkerSettings {
  const lockDurationMs = whole(env, 'LEDGER_JOB_LOCK_MS', 30_000, 1000, 3_600_000);
  return {
    concurrency: whole(env, 'LEDGER_WORKER_CONCURRENCY', 1, 1, 64),
    lockDurationMs,
    stalledIntervalMs: whole(env, 'LEDGER_JOB_STALLED_CHECK_MS', lockDurationMs, 500, 3_600_000),
  };
}
