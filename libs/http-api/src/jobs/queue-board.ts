import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import type { Actor } from '@ihl/application';
import { InvalidTokenError, type TokenVerifier } from '@ihl/auth';
import { TOKEN_VERIFIER } from '../auth/token-verifier.provider';
import type { ProblemBody } from '../http/problem.filter';
import { RATE_LIMITER, RateLimitExceededException, type RequestLimiter } from '../http/rate-limit';
import { JOB_QUEUE_RETRY_AFTER, JobQueue } from './job-queue.provider';

/** Where administrators see the queues (bull-board's pages and its JSON API). */
export const QUEUE_BOARD_PATH = '/admin/queues';
/** The cookie that carries an administrator's token to the board's pages (see the session route). */
export const QUEUE_BOARD_COOKIE = 'ihl_queue_board';
/** The cookie lives a quarter of an hour: long enough to look around, short if forgotten. */
export const QUEUE_BOARD_COOKIE_SECONDS = 900;

/**
 * Mounts bull-board behind the API's own token check (the same verifier as every route): an
 * `Authorization: Bearer` header, or the cookie POST /api/v1/admin/queues/session sets for a
 * browser. Mounted on init, before Nest adds its not-found handler.
 */
@Injectable()
export class QueueBoard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly jobs: JobQueue,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(RATE_LIMITER) private readonly limiter: RequestLimiter,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<{ use: (...handlers: unknown[]) => void }>();
    const admit = (req: Request, res: Response, next: NextFunction) => void this.admit(req, res, next);
    const producer = this.jobs.producer;
    if (!producer) {
      app.use(QUEUE_BOARD_PATH, admit, (_req: Request, res: Response) => {
        res.setHeader('Retry-After', JOB_QUEUE_RETRY_AFTER);
        problem(res, 503, 'the job queue is not configured (no REDIS_URL); there is no board to show');
      });
      return;
    }
    const board = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: [new BullMQAdapter(producer.bullQueue)],
      serverAdapter: board,
    });
    app.use(QUEUE_BOARD_PATH, admit, board.getRouter());
  }

  /** As the AuthGuard: verified, then rate-limited per token (refused tokens per address), then the role. */
  private async admit(req: Request, res: Response, next: NextFunction): Promise<void> {
    const token = bearer(req) ?? cookie(req, QUEUE_BOARD_COOKIE);
    let actor: Actor | undefined;
    try {
      actor = token ? await this.verifier.verify(token) : undefined;
    } catch (e) {
      if (!(e instanceof InvalidTokenError))
        return problem(res, 503, 'Authorization: the token issuer cannot be reached; retry later');
      if (await this.limited(req, res, undefined)) return;
      return problem(res, 401, `Authorization: ${e.message}`);
    }
    if (await this.limited(req, res, actor)) return;
    if (!actor) return problem(res, 401, 'Authorization: a bearer token (or the board session cookie) is required');
    if (actor.role !== 'admin') return problem(res, 403, `role ${actor.role} may not do this`);
    next();
  }

  /** Answers 429 (with Retry-After) when over the limit. */
  private async limited(req: Request, res: Response, actor: Actor | undefined): Promise<boolean> {
    try {
      await this.limiter.admit(req, res, actor);
      return false;
    } catch (e) {
      if (!(e instanceof RateLimitExceededException)) throw e;
      res.setHeader('Retry-After', String(e.retryAfterSeconds));
      res.status(429).json(e.getResponse());
      return true;
    }
  }
}

function bearer(req: Request): string | undefined {
  return /^Bearer ([A-Za-z0-9._-]+)$/.exec(req.headers.authorization ?? '')?.[1];
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === name && value && /^[A-Za-z0-9._-]+$/.test(value)) return value;
  }
  return undefined;
}

function problem(res: Response, statusCode: 401 | 403 | 503, message: string): void {
  const error = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' }[statusCode];
  res.status(statusCode).json({ statusCode, error, message } satisfies ProblemBody);
}
