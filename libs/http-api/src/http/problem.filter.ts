import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import {
  DomainConflictError,
  DomainForbiddenError,
  DomainNotFoundError,
  DomainValidationError,
  type ValidationIssue,
} from '@ihl/domain';
import { IdempotencyConflictError, PreconditionFailedError } from '@ihl/application';
import { ReadModelNotCaughtUpError } from '@ihl/projections';
import {
  EventIdConflictError,
  EventStoreUnavailableError,
  InvalidAppendError,
  WrongExpectedRevisionError,
} from '@ihl/event-store';
import { redactPersonalCodes, SharedKeyStoreUnavailableError } from '@ihl/privacy';
import { redactIssue } from './personal-data-redaction';

export interface ProblemBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly issues?: readonly ValidationIssue[];
}

/** What a client is told when a write meets a full disk (the write's transaction rolled back). */
export const DISK_FULL_MESSAGE = "the ledger's disk is full; nothing was written; try again when space is freed";
/** The person keys are on the cluster (LEDGER_PERSON_KEYS=eventstore) and it did not answer. */
const SHARED_KEYS_UNAVAILABLE = 'the person key store did not answer; nothing was written; try again shortly';
/** Seconds a client waits before trying a write again on a full disk. */
export const DISK_FULL_RETRY_AFTER = '60';

/**
 * A write refused for lack of space: SQLite's SQLITE_FULL (a write that met ENOSPC, or a size cap),
 * or an error coded ENOSPC (Node's file writes, and the event store's I/O errors on a full device).
 * Duck-typed: errors raised inside the native addon may come from another realm.
 */
export function isDiskFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

/** What a client is told when the event store's server cannot be reached (the cause goes to the log). */
export const STORE_UNAVAILABLE_MESSAGE =
  'the event store is unavailable; try again later (a write sent again with the same Idempotency-Key is applied once)';
/** Seconds a client waits before trying again while the event store is unavailable. */
export const STORE_UNAVAILABLE_RETRY_AFTER = '5';

/** Every failure becomes a JSON answer a person can act on; internals never leak. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const body = withoutPersonalCodes(this.toProblem(exception));
    // The read models lag the log for a moment: say when to ask again.
    if (exception instanceof ReadModelNotCaughtUpError) res.setHeader('Retry-After', '1');
    if (exception instanceof EventStoreUnavailableError) res.setHeader('Retry-After', STORE_UNAVAILABLE_RETRY_AFTER);
    if (isDiskFull(exception)) {
      res.setHeader('Retry-After', DISK_FULL_RETRY_AFTER);
      // One line an operator can act on, before the stack.
      const req = http.getRequest<Request>();
      const { code, message } = exception as { code: string; message: string };
      this.logger.error(
        redactPersonalCodes(
          `disk full: ${req.method} ${req.path} answered 503, nothing written; free space in the data directory (${code}: ${message})`,
        ),
      );
    }
    if (body.statusCode >= 500)
      this.logger.error(redactPersonalCodes(exception instanceof Error ? (exception.stack ?? '') : String(exception)));
    res.status(body.statusCode).json(body);
  }

  private toProblem(e: unknown): ProblemBody {
    if (isDiskFull(e)) return { statusCode: 503, error: 'Service Unavailable', message: DISK_FULL_MESSAGE };
    if (e instanceof DomainValidationError) {
      return { statusCode: 422, error: 'Unprocessable Entity', message: e.message, issues: e.issues };
    }
    if (e instanceof DomainForbiddenError) return { statusCode: 403, error: 'Forbidden', message: e.message };
    if (e instanceof DomainConflictError) return { statusCode: 409, error: 'Conflict', message: e.message };
    if (e instanceof DomainNotFoundError) return { statusCode: 404, error: 'Not Found', message: e.message };
    if (e instanceof WrongExpectedRevisionError || e instanceof EventIdConflictError) {
      return {
        statusCode: 409,
        error: 'Conflict',
        message: 'the record changed concurrently; read it again and retry',
      };
    }
    if (e instanceof EventStoreUnavailableError)
      return { statusCode: 503, error: 'Service Unavailable', message: STORE_UNAVAILABLE_MESSAGE };
    if (e instanceof ReadModelNotCaughtUpError)
      return { statusCode: 503, error: 'Service Unavailable', message: e.message };
    if (e instanceof SharedKeyStoreUnavailableError)
      return { statusCode: 503, error: 'Service Unavailable', message: SHARED_KEYS_UNAVAILABLE };
    if (e instanceof IdempotencyConflictError) return { statusCode: 409, error: 'Conflict', message: e.message };
    if (e instanceof PreconditionFailedError)
      return { statusCode: 412, error: 'Precondition Failed', message: e.message };
    if (e instanceof InvalidAppendError) return { statusCode: 400, error: 'Bad Request', message: e.message };
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const r = e.getResponse();
      const issues =
        typeof r === 'object' && r !== null && 'issues' in r ? (r as { issues: ValidationIssue[] }).issues : undefined;
      const message =
        typeof r === 'string'
          ? r
          : typeof r === 'object' && r !== null && 'message' in r
            ? String((r as { message: unknown }).message)
            : e.message;
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...(issues ? { issues } : {}) };
    }
    return {
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'an unexpected error occurred; it has been logged',
    };
  }
}

/**
 * Every answer leaves through here, so this is where no personal code may pass: messages and
 * issues can quote what the client sent (a path parameter, a header, a value, a property name).
 */
function withoutPersonalCodes(body: ProblemBody): ProblemBody {
  return {
    ...body,
    message: redactPersonalCodes(body.message),
    ...(body.issues ? { issues: body.issues.map(redactIssue) } : {}),
  };
}

/** body-parser errors (malformed JSON, too large, bad charset) answered before any handler runs. */
export function bodyErrorStatus(err: unknown): number {
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : 400;
}

export function bodyErrorProblem(err: unknown): ProblemBody {
  const type = (err as { type?: unknown }).type;
  const status = bodyErrorStatus(err);
  if (type === 'entity.too.large') {
    const message = 'the body is larger than the limit';
    return {
      statusCode: 413,
      error: 'Payload Too Large',
      message,
      issues: [{ field: '(body)', rule: 'max-size', message }],
    };
  }
  if (type === 'entity.parse.failed') {
    const message = 'the body is not well-formed JSON';
    return { statusCode: 400, error: 'Bad Request', message, issues: [{ field: '(body)', rule: 'json', message }] };
  }
  const message = 'the body could not be read (encoding or charset not supported)';
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Bad Request',
    message,
    issues: [{ field: '(body)', rule: 'encoding', message }],
  };
}
