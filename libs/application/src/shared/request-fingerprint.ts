/**
 * What a write remembers of the request that made it, so that an Idempotency-Key reused with another
 * body is caught (409). Stored in metadata as `requestHash`; it must never be an unkeyed derivative of
 * a body that can hold a personal code or a profile (those are guessable: a hash of them is a lookup).
 */
export interface RequestFingerprint {
  /** The value stored with a new write (computed once, when first asked for). */
  value(): string;
  /** Whether a value stored by an earlier write was made from this same request. */
  matches(stored: string | undefined): boolean;
}

export interface FingerprintedRequest {
  readonly method: string;
  readonly path: string;
  readonly subject: string;
  readonly body: unknown;
}

export interface RequestFingerprinter {
  fingerprint(request: FingerprintedRequest): RequestFingerprint;
}

export const REQUEST_FINGERPRINTER = Symbol('REQUEST_FINGERPRINTER');
