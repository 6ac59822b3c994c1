import { Logger, type Provider } from '@nestjs/common';
import { API_CONFIG } from '../api.settings';
import { SharedStoreHolder } from '../jobs/shared-store.provider';
import { RATE_LIMITER, rateLimiterFromConfig, type RateLimitConfig, type RequestLimiter } from './rate-limit';
import { SharedRateLimiter } from './shared-rate-limit';

/**
 * `providers: [..., rateLimiterProvider]` in ApiModule: one limiter per app, tuned by API_CONFIG;
 * counted in Redis (shared by the replicas) when REDIS_URL is set, else in this process's memory
 * with a warning, since replicas would then each allow the whole limit.
 */
export const rateLimiterProvider: Provider = {
  provide: RATE_LIMITER,
  useFactory: (config: RateLimitConfig, shared: SharedStoreHolder): RequestLimiter => {
    if (shared.store) return new SharedRateLimiter(shared.store.client, config);
    new Logger('rate-limit').warn(
      "no REDIS_URL: rate limits are counted in this process's memory; several api processes would each allow the whole limit",
    );
    return rateLimiterFromConfig(config);
  },
  inject: [API_CONFIG, SharedStoreHolder],
};
