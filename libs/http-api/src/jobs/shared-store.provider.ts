import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { SharedStore } from '@ihl/jobs';
import { API_CONFIG, type ApiSettings } from '../api.settings';

/** The api's shared store on REDIS_URL, or none; closed with the app. */
@Injectable()
export class SharedStoreHolder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('shared-store');
  readonly store: SharedStore | null;
  private lastError = '';

  constructor(@Inject(API_CONFIG) config: ApiSettings) {
    this.store = config.redisUrl ? new SharedStore(config.redisUrl, (e) => this.reportOnce(e)) : null;
  }

  /** Up to 2 s for the first connection, so the first requests count in Redis, not in memory. */
  async onModuleInit(): Promise<void> {
    await this.store?.settle(2000);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store?.close();
  }

  /** One line per distinct error, not one per reconnect attempt. */
  private reportOnce(e: Error): void {
    if (e.message === this.lastError) return;
    this.lastError = e.message;
    this.logger.warn(
      `shared store (Redis): ${e.message}; rate limits fall back to this process's memory until it is back`,
    );
  }
}
