import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { LedgerMetrics } from './ledger-metrics';
import { routeOf } from './request-log.middleware';

export const METRICS_PATH = '/metrics';

/** Times every answer into the HTTP histogram, by method, route template and status. */
export function httpMetrics(metrics: LedgerMetrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpDuration.startTimer();
    res.once('finish', () => end({ method: req.method, route: routeOf(req), status: String(res.statusCode) }));
    next();
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const problem = (res: Response, statusCode: number, error: string, message: string) =>
  void res.status(statusCode).json({ statusCode, error, message });

/**
 * GET /metrics in Prometheus' text format, for the bearer of LEDGER_METRICS_TOKEN only: a scraper's
 * own secret, so a Prometheus server holds nothing that reads or writes the ledger, and no ledger
 * token (not even an admin's) reads the metrics. Unset: /metrics does not exist (404). Outside the
 * API's routes and its rate limits, like the probes, so a scrape is never refused for load.
 */
export function metricsEndpoint(metrics: LedgerMetrics, token: string | undefined): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path !== METRICS_PATH) return next();
    if (!token) return problem(res, 404, 'Not Found', 'metrics are off: set LEDGER_METRICS_TOKEN to serve /metrics');
    if (req.method !== 'GET' && req.method !== 'HEAD') return problem(res, 405, 'Method Not Allowed', 'GET /metrics');
    const m = /^Bearer ([\x21-\x7e]+)$/.exec(req.headers.authorization ?? '');
    if (!m || !sameSecret(m[1]!, token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return problem(res, 401, 'Unauthorized', 'Authorization: the metrics token (LEDGER_METRICS_TOKEN) is required');
    }
    metrics.registry.metrics().then(
      (text) => void res.status(200).type(metrics.registry.contentType).send(text),
      (e: unknown) => next(e),
    );
  };
}
