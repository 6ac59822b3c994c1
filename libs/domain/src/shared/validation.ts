/** One broken rule, phrased so that a person can act on it: which field, what value, which rule. */
export interface ValidationIssue {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
  readonly value?: unknown;
}

/** A command refused by the domain because its input breaks a rule. Nothing is written. */
export class DomainValidationError extends Error {
  override readonly name = 'DomainValidationError';
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/** A command that conflicts with the current state (already registered, already voided, ...). */
export class DomainConflictError extends Error {
  override readonly name = 'DomainConflictError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The actor's role may not take this action on this record (403). */
export class DomainForbiddenError extends Error {
  override readonly name = 'DomainForbiddenError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class DomainNotFoundError extends Error {
  override readonly name = 'DomainNotFoundError';
}

export class IssueCollector {
  private readonly found: ValidationIssue[] = [];
  add(field: string, rule: string, message: string, value?: unknown): void {
    this.found.push(value === undefined ? { field, rule, message } : { field, rule, message, value });
  }
  get issues(): readonly ValidationIssue[] {
    return this.found;
  }
  throwIfAny(): void {
    if (this.found.length > 0) throw new DomainValidationError(this.found);
  }
}

/** Corrections, voids, rejections and reopenings say why: 3-1000 characters. */
export function requireReason(reason: unknown, field = 'reason'): string {
  if (typeof reason !== 'string' || reason.trim().length < 3 || reason.length > 1000) {
    throw new DomainValidationError([
      { field, rule: 'reason', message: 'must explain why in 3-1000 characters', value: reason },
    ]);
  }
  return reason;
}
