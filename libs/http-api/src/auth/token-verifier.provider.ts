import type { Provider } from '@nestjs/common';
import { DEFAULT_AUDIENCE, createTokenVerifier, type JwksAlgorithm, type TokenVerifier } from '@ihl/auth';
import { API_CONFIG } from '../api.settings';

/** DI token of the {@link TokenVerifier} the AuthGuard uses. */
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** The API settings that choose how bearer tokens are verified. */
export interface TokenVerifierConfig {
  /** HS256 shared secret (LEDGER_JWT_SECRET): the embedded default, used when no JWKS URL is set. */
  readonly jwtSecret?: string;
  /** Rotated-out HS256 secrets (LEDGER_JWT_PREVIOUS_SECRETS), accepted by `kid` until their tokens expire. */
  readonly jwtPreviousSecrets?: readonly string[];
  /** Expected `iss` (LEDGER_JWT_ISSUER); with a JWKS, the issuer's own identifier. */
  readonly jwtIssuer: string;
  /** The issuer's JWKS (LEDGER_JWKS_URL): when set, tokens are verified against it, never the secret. */
  readonly jwksUrl?: string;
  /** Expected `aud` with a JWKS (LEDGER_JWT_AUDIENCE); default `integral-help-ledger`. */
  readonly jwtAudience?: string;
  /** Accepted algorithms with a JWKS; default RS256. */
  readonly jwtAlgorithms?: readonly JwksAlgorithm[];
  /** Longest token lifetime (exp − iat) accepted (LEDGER_TOKEN_MAX_LIFETIME); default 12 h. */
  readonly tokenMaxLifetimeSeconds?: number;
}

/** JWKS when the config names one, else the shared secret (whose tokens `ledger token` mints). */
export function tokenVerifierFromConfig(config: TokenVerifierConfig): TokenVerifier {
  const lifetime =
    config.tokenMaxLifetimeSeconds !== undefined ? { maxLifetimeSeconds: config.tokenMaxLifetimeSeconds } : {};
  if (config.jwksUrl) {
    return createTokenVerifier({
      kind: 'jwks',
      jwksUrl: config.jwksUrl,
      issuer: config.jwtIssuer,
      audience: config.jwtAudience ?? DEFAULT_AUDIENCE,
      ...(config.jwtAlgorithms ? { algorithms: config.jwtAlgorithms } : {}),
      ...lifetime,
    });
  }
  if (!config.jwtSecret) throw new Error('configuration: LEDGER_JWKS_URL or LEDGER_JWT_SECRET is required');
  // The embedded default keeps the audience `ledger token` mints, whatever LEDGER_JWT_AUDIENCE says.
  return createTokenVerifier({
    kind: 'secret',
    secret: config.jwtSecret,
    ...(config.jwtPreviousSecrets ? { previousSecrets: config.jwtPreviousSecrets } : {}),
    issuer: config.jwtIssuer,
    ...lifetime,
  });
}

/** `providers: [..., tokenVerifierProvider]` in ApiModule: one verifier (and one JWKS cache) per app. */
export const tokenVerifierProvider: Provider = {
  provide: TOKEN_VERIFIER,
  useFactory: (config: TokenVerifierConfig) => tokenVerifierFromConfig(config),
  inject: [API_CONFIG],
};
