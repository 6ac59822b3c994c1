import { Issuer, generators, type BaseClient } from 'openid-client';
import type { JWTPayload } from 'jose';
import type { Actor } from '@ihl/application';
import { actorFromClaims } from '@ihl/auth';
import type { OidcConfig } from '@ihl/config';
import type { PendingLogin } from './session-store';

/**
 * Sign-in with an OpenID provider: authorization code flow with PKCE (S256), state and nonce, via
 * openid-client (which checks the ID token's signature against the provider's JWKS, its issuer,
 * audience, expiry and nonce). The provider is discovered on first use, so the api starts even while
 * it is down; a failed discovery is retried on the next sign-in.
 */
export class OidcSignIn {
  private client: Promise<BaseClient> | undefined;

  constructor(private readonly config: OidcConfig) {}

  private getClient(): Promise<BaseClient> {
    this.client ??= Issuer.discover(this.config.issuer).then(
      (issuer) =>
        new issuer.Client({
          client_id: this.config.clientId,
          ...(this.config.clientSecret
            ? { client_secret: this.config.clientSecret }
            : { token_endpoint_auth_method: 'none' }),
          redirect_uris: [this.config.redirectUri],
          response_types: ['code'],
        }),
    );
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  /** Where to send the browser, and what to keep until it comes back. */
  async start(): Promise<{ url: string; state: string; login: PendingLogin }> {
    const client = await this.getClient();
    const state = generators.state();
    const login = { codeVerifier: generators.codeVerifier(), nonce: generators.nonce() };
    const url = client.authorizationUrl({
      scope: this.config.scope,
      state,
      nonce: login.nonce,
      code_challenge: generators.codeChallenge(login.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, state, login };
  }

  /**
   * The actor of a finished sign-in: the role and partner from the configured claims of the ID
   * token (or, when it does not carry them, of the userinfo answer), mapped by the same rules as a
   * bearer token's (known role, partner id for a partner, no personal code as subject).
   */
  async finish(callbackUrl: string, state: string, login: PendingLogin): Promise<Actor> {
    const client = await this.getClient();
    const params = client.callbackParams(callbackUrl);
    const tokens = await client.callback(this.config.redirectUri, params, {
      state,
      nonce: login.nonce,
      code_verifier: login.codeVerifier,
    });
    let claims: JWTPayload = tokens.claims();
    if (claims[this.config.roleClaim] === undefined && tokens.access_token)
      claims = { ...(await client.userinfo(tokens.access_token)), ...claims };
    return actorFromClaims({
      sub: claims.sub,
      role: claims[this.config.roleClaim],
      partnerId: claims[this.config.partnerClaim],
    });
  }
}
