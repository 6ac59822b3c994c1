import { loadRedisSettings } from '@ihl/config';
import { startPrivateRedis } from './private-redis';

export interface RedisEndpoint {
  readonly url: string;
  /** How the operator is told where it is: "REDIS_URL" or the private server's directory. */
  readonly origin: string;
  /** Stops the private server if this process started it; nothing for REDIS_URL. */
  release(): Promise<void>;
  /** The same, synchronously, for a signal handler. */
  releaseNow(): void;
}

/**
 * REDIS_URL when set; else, with LEDGER_REDIS=private, the private redis-server of DATA_DIR (started
 * or reused); else none: the api then serves without a job queue and the job endpoints answer 503.
 */
export async function resolveRedisEndpoint(
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
): Promise<RedisEndpoint | null> {
  const settings = loadRedisSettings(env);
  if (settings.redisUrl)
    return { url: settings.redisUrl, origin: 'REDIS_URL', release: async () => undefined, releaseNow: () => undefined };
  if (!settings.privateRedis) return null;
  const redis = await startPrivateRedis(dataDir);
  return {
    url: redis.url,
    origin: `${redis.reused ? 'reused the' : 'started a'} private redis-server in ${dataDir}/redis`,
    release: () => redis.stop(),
    releaseNow: () => redis.stopNow(),
  };
}
