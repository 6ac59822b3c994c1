import { createHash } from 'node:crypto';
import type { JWTVerifyGetKey } from 'jose';

/**
 * The `kid` of an HS256 secret: 16 hex digits of a SHA-256 of it. It names the key a token was
 * signed with, so a rotated-out secret is found without trying each; a secret of ≥ 32 characters
 * cannot be guessed from it.
 */
export function secretKeyId(secret: string): string {
  return createHash('sha256').update(`ihl-jwt-kid\u0000${secret}`).digest('hex').slice(0, 16);
}

/**
 * The key for a token by its `kid`: the current secret or a previous one. A token without `kid`
 * (minted before key ids), or with a `kid` of no secret held, is checked against the current secret
 * (and so refused unless it signed it): the answer never tells a retired key from a forged one.
 */
export function secretKeyring(current: string, previous: readonly string[]): JWTVerifyGetKey {
  const keys = new Map<string, Uint8Array>();
  for (const secret of [current, ...previous]) keys.set(secretKeyId(secret), new TextEncoder().encode(secret));
  const currentKey = keys.get(secretKeyId(current))!;
  return (header) => (header.kid === undefined ? currentKey : (keys.get(header.kid) ?? currentKey));
}
