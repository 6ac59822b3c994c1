import {
  ForbiddenException,
  ServiceUnavailableException,
  UnauthorizedException,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '@ihl/application';
import {
  InvalidTokenError,
  TokenVerifierUnavailableError,
  createTokenVerifier,
  mintToken,
  type TokenVerifier,
} from '@ihl/auth';
import type { ApiSettings } from '../api.settings';
import { RateLimitExceededException, RateLimiter } from '../http/rate-limit';
import { AuthGuard, Public, Roles } from './auth.guard';
import { tokenVerifierFromConfig } from './token-verifier.provider';

class Routes {
  @Roles('admin')
  adminOnly() {}
  @Public()
  open() {}
}

function context(
  handler: keyof Routes,
  headers: Record<string, string> = {},
  method = 'GET',
  ip = '10.1.1.1',
  routePath = `/${handler}`,
) {
  const req = {
    method,
    ip,
    socket: {},
    headers,
    header: (name: string) => headers[name.toLowerCase()],
    route: { path: routePath },
  } as Record<string, unknown>;
  const resHeaders: Record<string, string> = {};
  const res = { setHeader: (k: string, v: string) => (resHeaders[k.toLowerCase()] = v) };
  const ctx = {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
  return { ctx, req, resHeaders };
}

const settings = { jwtSecret: 's'.repeat(40), jwtIssuer: 'iss' } as ApiSettings;
const stubVerifier = (verify: (token: string) => Promise<Actor>): TokenVerifier => ({ kind: 'jwks', verify });
const bearer = (t = 'x.y.z') => ({ authorization: `Bearer ${t}` });

describe('AuthGuard', () => {
  it('verifies with the injected verifier and sets the request context', async () => {
    const guard = new AuthGuard(
      new Reflector(),
      settings,
      stubVerifier(async () => ({ subject: 'a', role: 'admin' })),
      new RateLimiter(),
    );
    const { ctx, req } = context('adminOnly', { ...bearer(), 'x-correlation-id': 'c-1' });
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
    expect(req.ledgerContext).toEqual({ actor: { subject: 'a', role: 'admin' }, correlationId: 'c-1' });
  });

  it('without a TOKEN_VERIFIER provider, builds the same verifier from the config', async () => {
    const guard = new AuthGuard(new Reflector(), settings);
    const token = await mintToken({ secret: settings.jwtSecret!, issuer: 'iss' }, { subject: 'a', role: 'admin' });
    await expect(guard.canActivate(context('adminOnly', bearer(token)).ctx)).resolves.toBe(true);
    expect(tokenVerifierFromConfig(settings).kind).toBe('secret');
    expect(tokenVerifierFromConfig({ ...settings, jwksUrl: 'https://idp.example.org/jwks' }).kind).toBe('jwks');
    expect(() => tokenVerifierFromConfig({ jwtIssuer: 'iss' })).toThrow(/LEDGER_JWKS_URL or LEDGER_JWT_SECRET/);
  });

  it('applies the configured longest token lifetime (LEDGER_TOKEN_MAX_LIFETIME) to the verifier it builds', async () => {
    const guard = new AuthGuard(new Reflector(), { ...settings, tokenMaxLifetimeSeconds: 3600 });
    const mint = (expiresIn: string) =>
      mintToken({ secret: settings.jwtSecret!, issuer: 'iss' }, { subject: 'a', role: 'admin' }, { expiresIn });
    await expect(guard.canActivate(context('adminOnly', bearer(await mint('2h'))).ctx)).rejects.toThrow(
      /lives too long/,
    );
    await expect(guard.canActivate(context('adminOnly', bearer(await mint('1h'))).ctx)).resolves.toBe(true);
  });

  it('answers 503, not 401, when the issuer cannot be reached, and does not count it', async () => {
    const limiter = new RateLimiter({ anonymousPerWindow: 1 });
    const guard = new AuthGuard(
      new Reflector(),
      settings,
      stubVerifier(async () => {
        throw new TokenVerifierUnavailableError('down');
      }),
      limiter,
    );
    for (let i = 0; i < 3; i++)
      await expect(guard.canActivate(context('adminOnly', bearer()).ctx)).rejects.toBeInstanceOf(
        ServiceUnavailableException,
      );
  });

  it('counts refused tokens per address: 401 until the limit, then 429 with Retry-After', async () => {
    const guard = new AuthGuard(
      new Reflector(),
      settings,
      stubVerifier(async () => {
        throw new InvalidTokenError('token signature or claims are invalid');
      }),
      new RateLimiter({ anonymousPerWindow: 2 }),
    );
    await expect(guard.canActivate(context('adminOnly', bearer()).ctx)).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(guard.canActivate(context('adminOnly', {}).ctx)).rejects.toBeInstanceOf(UnauthorizedException);
    const { ctx, resHeaders } = context('adminOnly', bearer());
    await expect(guard.canActivate(ctx)).rejects.toBeInstanceOf(RateLimitExceededException);
    expect(resHeaders['retry-after']).toMatch(/^\d+$/);
    // Public routes share the address budget.
    await expect(guard.canActivate(context('open').ctx)).rejects.toBeInstanceOf(RateLimitExceededException);
    await expect(guard.canActivate(context('open', {}, 'GET', '10.9.9.9').ctx)).resolves.toBe(true);
  });

  it('never limits the public health probe, even once refused tokens spent the address budget', async () => {
    const guard = new AuthGuard(
      new Reflector(),
      settings,
      stubVerifier(async () => {
        throw new InvalidTokenError('token signature or claims are invalid');
      }),
      new RateLimiter({ anonymousPerWindow: 2 }),
    );
    for (let i = 0; i < 2; i++)
      await expect(guard.canActivate(context('adminOnly', bearer()).ctx)).rejects.toBeInstanceOf(UnauthorizedException);
    await expect(guard.canActivate(context('adminOnly', bearer()).ctx)).rejects.toBeInstanceOf(
      RateLimitExceededException,
    );
    for (const probe of ['/health', '/health/live', '/health/ready'])
      for (let i = 0; i < 5; i++) {
        const { ctx, resHeaders } = context('open', {}, 'GET', '10.1.1.1', probe);
        await expect(guard.canActivate(ctx)).resolves.toBe(true);
        expect(resHeaders['retry-after']).toBeUndefined();
      }
    // Only reads of the health route: another public route from the address is still limited.
    await expect(guard.canActivate(context('open').ctx)).rejects.toBeInstanceOf(RateLimitExceededException);
  });

  it('limits a verified token before the role check, so refused roles also spend their budget', async () => {
    const guard = new AuthGuard(
      new Reflector(),
      settings,
      stubVerifier(async () => ({ subject: 'aud', role: 'agency-auditor' })),
      new RateLimiter({ readsPerWindow: 1 }),
    );
    await expect(guard.canActivate(context('adminOnly', bearer()).ctx)).rejects.toBeInstanceOf(ForbiddenException);
    await expect(guard.canActivate(context('adminOnly', bearer()).ctx)).rejects.toBeInstanceOf(
      RateLimitExceededException,
    );
  });

  it('works end to end with a real secret verifier', async () => {
    const verifier = createTokenVerifier({ kind: 'secret', secret: 'k'.repeat(40), issuer: 'iss' });
    const guard = new AuthGuard(new Reflector(), settings, verifier, new RateLimiter());
    const forged = await mintToken({ secret: 'z'.repeat(40), issuer: 'iss' }, { subject: 'a', role: 'admin' });
    await expect(guard.canActivate(context('adminOnly', bearer(forged)).ctx)).rejects.toThrow(/invalid/);
  });
});
