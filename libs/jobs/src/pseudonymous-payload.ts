import { containsPersonalCode } from '@ihl/privacy';

/** A payload (or requester) that would put a personal code into Redis. */
export class PersonalCodeInJobError extends Error {
  override readonly name = 'PersonalCodeInJobError';
  constructor() {
    super('a job must not carry a personal code (asmens kodas): pseudonymise it before enqueueing');
  }
}

/**
 * Redis is not the system of record and is never erased with a person: whatever goes into a job
 * is checked, every string in it, before it is enqueued.
 */
export function assertPseudonymous(value: unknown): void {
  if (typeof value === 'string') {
    if (containsPersonalCode(value)) throw new PersonalCodeInJobError();
  } else if (Array.isArray(value)) value.forEach(assertPseudonymous);
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) {
      assertPseudonymous(k);
      assertPseudonymous(v);
    }
  else if (typeof value === 'number' && containsPersonalCode(String(value))) throw new PersonalCodeInJobError();
}
