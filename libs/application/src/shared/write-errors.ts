/** The Idempotency-Key was used before with a different request body (409). */
export class IdempotencyConflictError extends Error {
  override readonly name = 'IdempotencyConflictError';
  constructor(readonly key: string) {
    super(`Idempotency-Key "${key}" was already used with a different request`);
  }
}

/** If-Match named a revision the record is no longer at (412). */
export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`If-Match expected revision ${expected} but the record is at revision ${actual}`);
  }
}
