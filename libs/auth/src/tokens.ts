import { SignJWT, jwtVerify, errors } from 'jose';
import { ROLES, type Actor, type Role } from '@ihl/application';

export interface TokenSettings {
  readonly secret: string;
  readonly issuer: string;
}

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

const AUDIENCE = 'integral-help-ledger';

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
    .setAudience(AUDIENCE)
    .setIssuedAt(options.now)
    .setExpirationTime(options.expiresIn ?? '8h');
  return jwt.sign(new TextEncoder().encode(settings.secret));
}

/** Verifies signature, issuer, audience and expiry; the actor comes from the token only. */
export async function verifyToken(settings: TokenSettings, token: string): Promise<Actor> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(settings.secret), {
      issuer: settings.issuer,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const role = payload.role as Role;
    if (!ROLES.includes(role)) throw new InvalidTokenError(`unknown role ${String(payload.role)}`);
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError('token has no subject');
    const partnerId = typeof payload.partnerId === 'string' ? payload.partnerId : undefined;
    if (role === 'partner-submitter' && !partnerId)
      throw new InvalidTokenError('partner-submitter token without partner id');
    return { subject: payload.sub, role, ...(partnerId && role === 'partner-submitter' ? { partnerId } : {}) };
  } catch (e) {
    if (e instanceof InvalidTokenError) throw e;
    if (e instanceof errors.JWTExpired) throw new InvalidTokenError('token expired');
    throw new InvalidTokenError('token signature or claims are invalid');
  }
}
