import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { containsPersonalCode } from '@ihl/privacy';
import type { LedgerLog } from './ledger-log';

/** A client's id is taken when it is short and plain, and not a personal code; else one is made. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestIdOf(given: string | string[] | undefined): string {
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) && !containsPersonalCode(given)
    ? given
    : randomUUID();
}

/**
 * The route template the request matched (`/api/v1/projects/:code/activities`), never the URL: a
 * path or query may carry a personal code or a profile value, a template cannot. Requests no route
 * took (the web app's files, 404s) are one label.
 */
export function routeOf(req: IncomingMessage): string {
  const route = (req as IncomingMessage & { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? route.path : 'unmatched';
}

function levelOf(res: ServerResponse, err?: Error): 'error' | 'warn' | 'info' {
  if (err || res.statusCode >= 500) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

/**
 * One line per answered request: its id (from `X-Request-Id` when sane, echoed in the answer),
 * method, route template, status and duration. No URL, query, header or body is written.
 */
export function requestLog(log: LedgerLog): RequestHandler {
  const fields = (req: IncomingMessage, res: ServerResponse, val: Record<string, unknown>) => ({
    durationMs: val.responseTime,
    route: routeOf(req),
    status: res.statusCode,
  });
  return pinoHttp({
    logger: log,
    genReqId: (req, res) => {
      const id = requestIdOf(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method }),
      res: () => undefined,
      err: (e: Error) => ({ type: e.name }),
    },
    customLogLevel: (_req, res, err) => levelOf(res, err),
    customSuccessObject: fields,
    customErrorObject: (req, res, _err, val: Record<string, unknown>) => fields(req, res, val),
    customSuccessMessage: (req, res) => `${req.method} ${routeOf(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${routeOf(req)} ${res.statusCode}`,
    quietReqLogger: true,
  });
}
