import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ROLES, type Actor, type Role } from '@ihl/application';
import { containsPersonalCode } from '@ihl/privacy';
import { secretKeyring } from './secret-keyring';

/** The `aud` the embedded default mints (`ledger token`) and expects. */
export const DEFAULT_AUDIENCE = 'integral-help-ledger';
/** Seconds of clock skew accepted on `exp` and `nbf`. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
/**
 * Longest accepted lifetime (`exp` − `iat`) by default: 12 h, a working day. A stolen token is good
 * for at most that long; LEDGER_TOKEN_MAX_LIFETIME changes it.
 */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;
/** Largest lifetime a verifier may be configured to accept (7 days). */
export const MAX_TOKEN_LIFETIME_LIMIT_SECONDS = 7 * 86_400;
/**
 * How far in the future `iat` may lie: an issuer's clock a little ahead of ours. Without it, a token
 * "issued" a year ahead with a 12 h lifetime would be good for a year.
 */
export const DEFAULT_ISSUED_AT_SKEW_SECONDS = 60;
/** Asymmetric algorithms a JWKS verifier may be configured with; HMAC and `none` never. */
export const JWKS_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type JwksAlgorithm = (typeof JWKS_ALGORITHMS)[number];

/** The token is forged, expired, for someone else, or its claims do not make an actor: answer 401. */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** The issuer's key set could not be fetched or read: the token may be fine, answer 503, not 401. */
export class TokenVerifierUnavailableError extends Error {
  override readonly name = 'TokenVerifierUnavailableError';
}

export interface SecretVerifierOptions {
  readonly kind: 'secret';
  /** HS256 shared secret (the embedded default, LEDGER_JWT_SECRET): signs new tokens. */
  readonly secret: string;
  /**
   * Secrets rotated out (LEDGER_JWT_PREVIOUS_SECRETS): tokens they signed are still accepted, picked
   * by their `kid`, until those tokens expire; drop one after the longest token lifetime has passed.
   */
  readonly previousSecrets?: readonly string[];
  readonly issuer: string;
  /** Defaults to {@link DEFAULT_AUDIENCE}, which is what `mintToken` puts in tokens. */
  readonly audience?: string;
  readonly clockToleranceSeconds?: number;
  /** Longest `exp` − `iat` accepted; default {@link DEFAULT_MAX_TOKEN_LIFETIME_SECONDS}. */
  readonly maxLifetimeSeconds?: number;
}

export interface JwksVerifierOptions {
  readonly kind: 'jwks';
  /** The issuer's JWKS document; https, or http on a loopback host only (tests, sidecars). */
  readonly jwksUrl: string | URL;
  readonly issuer: string;
  readonly audience: string;
  /** Accepted `alg` values; default `['RS256']`. Only asymmetric algorithms are allowed. */
  readonly algorithms?: readonly JwksAlgorithm[];
  readonly clockToleranceSeconds?: number;
  /** Longest `exp` − `iat` accepted; default {@link DEFAULT_MAX_TOKEN_LIFETIME_SECONDS}. */
  readonly maxLifetimeSeconds?: number;
  /** Timeout of one JWKS request (default 5000 ms). */
  readonly jwksTimeoutMs?: number;
  /**
   * Minimum time between two fetches triggered by an unknown `kid` (default 30000 ms): a rotated key
   * is picked up on the first token that uses it, but forged kids cannot make us hammer the issuer.
   */
  readonly jwksCooldownMs?: number;
  /** How long a fetched key set is used before it is fetched again (default 600000 ms). */
  readonly jwksCacheMaxAgeMs?: number;
}

export type TokenVerifierOptions = SecretVerifierOptions | JwksVerifierOptions;

/** Verifies a bearer token and returns the actor it speaks for; the actor comes from the token only. */
export interface TokenVerifier {
  readonly kind: TokenVerifierOptions['kind'];
  /** @throws InvalidTokenError (401) or TokenVerifierUnavailableError (503). */
  verify(token: string): Promise<Actor>;
}

/** Builds a verifier: HS256 with a shared secret (embedded default) or the issuer's JWKS (production). */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  if (!options.issuer) throw new TypeError('token verifier: issuer is required');
  const clockTolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0 || clockTolerance > 300)
    throw new TypeError('token verifier: clockToleranceSeconds must be from 0 to 300');
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  if (!Number.isInteger(maxLifetime) || maxLifetime < 60 || maxLifetime > MAX_TOKEN_LIFETIME_LIMIT_SECONDS)
    throw new TypeError(
      `token verifier: maxLifetimeSeconds must be a whole number from 60 to ${MAX_TOKEN_LIFETIME_LIMIT_SECONDS}`,
    );
  const times: TimeLimits = { maxLifetime, issuedAtSkew: Math.max(DEFAULT_ISSUED_AT_SKEW_SECONDS, clockTolerance) };

  if (options.kind === 'secret') {
    if (!options.secret) throw new TypeError('token verifier: secret is required');
    const key = secretKeyring(options.secret, options.previousSecrets ?? []);
    const verifyOptions = {
      issuer: options.issuer,
      audience: options.audience ?? DEFAULT_AUDIENCE,
      algorithms: ['HS256'],
      clockTolerance,
      requiredClaims: ['exp', 'iat', 'sub'],
    };
    return {
      kind: 'secret',
      verify: (token) => run(() => jwtVerify(token, key, verifyOptions), times),
    };
  }

  if (options.kind !== 'jwks') throw new TypeError('token verifier: kind must be "secret" or "jwks"');
  if (!options.audience) throw new TypeError('token verifier: audience is required for JWKS verification');
  const algorithms = [...(options.algorithms ?? ['RS256'])];
  if (algorithms.length === 0) throw new TypeError('token verifier: algorithms must not be empty');
  for (const alg of algorithms) {
    if (!(JWKS_ALGORITHMS as readonly string[]).includes(alg))
      throw new TypeError(`token verifier: algorithm ${String(alg)} is not allowed with a JWKS`);
  }
  const url = jwksUrl(options.jwksUrl);
  const remote = createRemoteJWKSet(url, {
    timeoutDuration: options.jwksTimeoutMs ?? 5000,
    cooldownDuration: options.jwksCooldownMs ?? 30_000,
    cacheMaxAge: options.jwksCacheMaxAgeMs ?? 600_000,
  });
  // Failures to get the key set are the issuer's problem, not the token's: keep them apart.
  const getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (e) {
      if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) throw e;
      throw new TokenVerifierUnavailableError(`the issuer's key set (${url.origin}) cannot be used: ${describe(e)}`);
    }
  };
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms,
    clockTolerance,
    requiredClaims: ['exp', 'iat', 'sub'],
  };
  return {
    kind: 'jwks',
    verify: (token) => run(() => jwtVerify(token, getKey, verifyOptions), times),
  };
}

function jwksUrl(raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new TypeError(`token verifier: jwksUrl is not a URL (got "${String(raw)}")`);
  }
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new TypeError('token verifier: jwksUrl must use https:// (http:// only on a loopback host)');
  return url;
}

function describe(e: unknown): string {
  if (e instanceof errors.JWKSTimeout) return 'timed out';
  return e instanceof Error ? e.message : String(e);
}

interface TimeLimits {
  readonly maxLifetime: number;
  readonly issuedAtSkew: number;
}

async function run(verify: () => Promise<{ payload: JWTPayload }>, times: TimeLimits): Promise<Actor> {
  let payload: JWTPayload;
  try {
    ({ payload } = await verify());
  } catch (e) {
    if (e instanceof TokenVerifierUnavailableError) throw e;
    if (e instanceof errors.JWTExpired) throw new InvalidTokenError('token expired');
    if (e instanceof errors.JWKSNoMatchingKey) throw new InvalidTokenError('token signed with an unknown key');
    if (e instanceof errors.JWTClaimValidationFailed)
      throw new InvalidTokenError(`token claim ${e.claim} is ${e.reason === 'missing' ? 'missing' : 'invalid'}`);
    throw new InvalidTokenError('token signature or claims are invalid');
  }
  checkTokenTimes(payload, times, Math.floor(Date.now() / 1000));
  return actorFromClaims(payload);
}

/**
 * `exp` alone is not enough: a token minted with a 100-year `exp`, or "issued" a year from now,
 * would be good for that long if stolen. Both claims are required and numbers (checked by jose).
 */
function checkTokenTimes(payload: JWTPayload, limits: TimeLimits, now: number): void {
  const iat = payload.iat!;
  const exp = payload.exp!;
  if (iat > now + limits.issuedAtSkew)
    throw new InvalidTokenError(`token claim iat is in the future (more than ${limits.issuedAtSkew} s ahead)`);
  if (exp - iat > limits.maxLifetime)
    throw new InvalidTokenError(
      `token lives too long: exp − iat is ${exp - iat} s, at most ${limits.maxLifetime} s are accepted`,
    );
}

/** The one mapping from verified claims to an actor, shared by every verifier. */
export function actorFromClaims(payload: JWTPayload): Actor {
  const role = payload.role;
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    throw new InvalidTokenError(`token has an unknown role ${JSON.stringify(role ?? null)}`);
  if (typeof payload.sub !== 'string' || payload.sub.trim() === '') throw new InvalidTokenError('token has no subject');
  // The subject goes into every event's metadata and the audit trail: some identity providers use
  // the person's personal code as `sub`, which must never be stored. Configure a staff identifier.
  if (containsPersonalCode(payload.sub))
    throw new InvalidTokenError('token subject looks like a personal code; the identity provider must send a staff id');
  if (typeof payload.partnerId === 'string' && containsPersonalCode(payload.partnerId))
    throw new InvalidTokenError('token partner id looks like a personal code');
  if (role === 'partner-submitter') {
    const partnerId = payload.partnerId;
    if (typeof partnerId !== 'string' || partnerId.trim() === '')
      throw new InvalidTokenError('partner-submitter token without partner id');
    return { subject: payload.sub, role, partnerId };
  }
  // Other roles act for the whole project: a partner id in their token is ignored, never trusted.
  return { subject: payload.sub, role: role as Role };
}
