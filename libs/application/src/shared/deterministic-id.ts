import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id derived from a scope and a client key, so a retried creation with the same
 * Idempotency-Key lands on the same record stream.
 */
export function deterministicId(scope: string, key: string): string {
  const h = createHash('sha256').update(`${scope}\u0000${key}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
