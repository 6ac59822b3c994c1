import { Inject, Injectable, Logger, OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import type { Response } from 'express';
import { JobProducer, JobQueueUnavailableError } from '@ihl/jobs';
import { API_CONFIG, type ApiSettings } from '../api.settings';

/** Seconds a client waits before asking the job endpoints again when Redis is down. */
export const JOB_QUEUE_RETRY_AFTER = '30';

/**
 * The api's side of the job queue: one producer on REDIS_URL, or none (no Redis configured). The
 * api starts and serves whether or not Redis answers: only the job endpoints need it.
 */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('jobs');
  readonly producer: JobProducer | null;
  private lastError = '';

  constructor(@Inject(API_CONFIG) config: ApiSettings) {
    this.producer = config.redisUrl ? new JobProducer(config.redisUrl, (e) => this.reportOnce(e)) : null;
  }

  /** The producer, or a 503 (with Retry-After) saying the job queue is what is missing. */
  available(res: Response): JobProducer {
    if (this.producer) return this.producer;
    res.setHeader('Retry-After', JOB_QUEUE_RETRY_AFTER);
    throw new ServiceUnavailableException(
      'the job queue is not configured (no REDIS_URL, or LEDGER_REDIS=private for `ledger serve`); direct writes and figures still work',
    );
  }

  /** Runs a queue operation; Redis being down becomes a 503 with Retry-After. */
  async use<T>(res: Response, operation: (producer: JobProducer) => Promise<T>): Promise<T> {
    const producer = this.available(res);
    try {
      return await operation(producer);
    } catch (e) {
      if (!(e instanceof JobQueueUnavailableError)) throw e;
      res.setHeader('Retry-After', JOB_QUEUE_RETRY_AFTER);
      throw new ServiceUnavailableException(e.message);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.close();
  }

  /** A Redis outage would log an error per reconnect attempt: once per distinct message is enough. */
  private reportOnce(e: Error): void {
    if (e.message === this.lastError) return;
    this.lastError = e.message;
    this.logger.warn(`job queue (Redis): ${e.message}`);
  }
}
