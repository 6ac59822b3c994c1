import { SignJWT } from 'jose';
import type { Actor } from '@ihl/application';
import { DEFAULT_AUDIENCE, InvalidTokenError, createTokenVerifier } from './token-verifier';

export interface TokenSettings {
  readonly secret: string;
  readonly issuer: string;
}

/** Mints an HS256 bearer token for the embedded default (`ledger token`). */
export async function mintToken(
  settings: TokenSettings,
  actor: Actor,
  options: { expiresIn?: string; now?: Date } = {},
): Promise<string> {
  if (actor.role === 'partner-submitter' && !actor.partnerId)
    throw new InvalidTokenError('a partner-submitter token needs a partner id');
  if (actor.role !== 'partner-submitter' && actor.partnerId)
    throw new InvalidTokenError('only partner-submitter tokens carry a partner id');
  const jwt = new SignJWT({ role: actor.role, ...(actor.partnerId ? { partnerId: actor.partnerId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(actor.subject)
    .setIssuer(settings.issuer)
    .setAudience(DEFAULT_AUDIENCE)
    .setIssuedAt(options.now)
    .setExpirationTime(options.expiresIn ?? '8h');
  return jwt.sign(new TextEncoder().encode(settings.secret));
}

/** Verifies an HS256 token (signature, issuer, audience, expiry); the actor comes from the token only. */
export async function verifyToken(settings: TokenSettings, token: string): Promise<Actor> {
  return createTokenVerifier({ kind: 'secret', secret: settings.secret, issuer: settings.issuer }).verify(token);
}
