import { SignJWT } from 'jose';
import type { Actor } from '@ihl/application';
import { secretKeyId } from './secret-keyring';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  InvalidTokenError,
  createTokenVerifier,
} from './token-verifier';

export interface TokenSettings {
  readonly secret: string;
  readonly issuer: string;
  /**
   * Longest lifetime minted and accepted (LEDGER_TOKEN_MAX_LIFETIME); default
   * {@link DEFAULT_MAX_TOKEN_LIFETIME_SECONDS}, what the api accepts unless configured otherwise.
   */
  readonly maxLifetimeSeconds?: number;
}

/** A token lifetime the ledger would not accept: minting it would only make a token that fails later. */
export class TokenLifetimeError extends Error {
  override readonly name = 'TokenLifetimeError';
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `30m`, `8h`, `7d` (the forms `ledger token --expires` takes) in seconds. */
function lifetimeSeconds(expiresIn: string): number {
  const m = /^(\d{1,9})([smhd])$/.exec(expiresIn);
  if (!m) throw new TokenLifetimeError(`token lifetime (--expires) must look like 30m, 8h or 7d (got "${expiresIn}")`);
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

function describeSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * Mints an HS256 bearer token for the embedded default (`ledger token`): `iat` is now (or
 * `options.now`), `exp` that plus `expiresIn` (default 8h), at most the settings' maximum lifetime.
 */
export async function mintToken(
  settings: TokenSettings,
  actor: Actor,
  options: { expiresIn?: string; now?: Date } = {},
): Promise<string> {
  if (actor.role === 'partner-submitter' && !actor.partnerId)
    throw new InvalidTokenError('a partner-submitter token needs a partner id');
  if (actor.role !== 'partner-submitter' && actor.partnerId)
    throw new InvalidTokenError('only partner-submitter tokens carry a partner id');
  const lifetime = lifetimeSeconds(options.expiresIn ?? '8h');
  const max = settings.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  if (lifetime < 1 || lifetime > max)
    throw new TokenLifetimeError(
      `token lifetime (--expires) must be from 1s to ${describeSeconds(max)} (got "${options.expiresIn}"); ` +
        'the api refuses tokens that live longer (LEDGER_TOKEN_MAX_LIFETIME)',
    );
  // exp counted from iat, not from the wall clock, so a token minted "as of" a time lives as long.
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const jwt = new SignJWT({ role: actor.role, ...(actor.partnerId ? { partnerId: actor.partnerId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: secretKeyId(settings.secret) })
    .setSubject(actor.subject)
    .setIssuer(settings.issuer)
    .setAudience(DEFAULT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetime);
  return jwt.sign(new TextEncoder().encode(settings.secret));
}

/** Verifies an HS256 token (signature, issuer, audience, expiry, lifetime); the actor comes from the token only. */
export async function verifyToken(settings: TokenSettings, token: string): Promise<Actor> {
  return createTokenVerifier({
    kind: 'secret',
    secret: settings.secret,
    issuer: settings.issuer,
    ...(settings.maxLifetimeSeconds !== undefined ? { maxLifetimeSeconds: settings.maxLifetimeSeconds } : {}),
  }).verify(token);
}
