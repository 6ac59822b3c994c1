import { status } from '@grpc/grpc-js';
import { ErrorType, isCommandError } from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../event-store.errors';

/** The client's errors that mean "the server is not there now", not "the request is wrong". */
const UNREACHABLE_TYPES: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.CANCELLED,
  ErrorType.NOT_LEADER,
]);
const UNREACHABLE_CODES: ReadonlySet<number> = new Set([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.CANCELLED,
]);

/** An error of the client as the port's EventStoreUnavailableError when the server is unreachable; else as it is. */
export function unavailableOr(e: unknown): unknown {
  if (!(e instanceof Error) || e instanceof EventStoreUnavailableError) return e;
  if (isCommandError(e)) return UNREACHABLE_TYPES.has(e.type) ? new EventStoreUnavailableError(e) : e;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'number' && UNREACHABLE_CODES.has(code) ? new EventStoreUnavailableError(e) : e;
}
