import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  ServiceUnavailableException,
  SetMetadata,
  UnauthorizedException,
  UnprocessableEntityException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Actor, RequestContext, Role } from '@ihl/application';
import { InvalidTokenError, TokenVerifierUnavailableError, type TokenVerifier } from '@ihl/auth';
import { containsPersonalCode } from '@ihl/privacy';
import { API_CONFIG, type ApiSettings } from '../api.settings';
import { NO_PERSONAL_CODE } from '../http/dto-rules';
import {
  RATE_LIMITER,
  isUnlimitedProbe,
  rateLimiterFromConfig,
  type RateLimitConfig,
  type RequestLimiter,
} from '../http/rate-limit';
import { TOKEN_VERIFIER, tokenVerifierFromConfig } from './token-verifier.provider';
import { SESSION_STORE, sessionOf } from '../session/session-auth';
import type { SessionStore } from '../session/session-store';

const ROLES_KEY = 'ihl:roles';
const PUBLIC_KEY = 'ihl:public';

/** Roles allowed on a route; routes without it are refused (deny by default). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

type AuthedRequest = Request & { ledgerContext?: RequestContext };

/**
 * Authenticates every route that is not @Public(), then rate-limits the request: per token
 * (subject + role) once verified, per client IP for public routes (the health probe excepted) and
 * refused tokens. Then checks the role. The verifier and limiter are the TOKEN_VERIFIER and RATE_LIMITER providers; without
 * them they are built from API_CONFIG the same way.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verifier: TokenVerifier;
  private readonly limiter: RequestLimiter;

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_CONFIG) settings: ApiSettings,
    @Optional() @Inject(TOKEN_VERIFIER) verifier?: TokenVerifier,
    @Optional() @Inject(RATE_LIMITER) limiter?: RequestLimiter,
    @Optional() @Inject(SESSION_STORE) private readonly sessions?: SessionStore,
  ) {
    this.verifier = verifier ?? tokenVerifierFromConfig(settings);
    this.limiter = limiter ?? rateLimiterFromConfig(settings as Partial<ApiSettings> & RateLimitConfig);
  }

  /**
   * The actor of a bearer token or, without one, of the web app's session cookie (its CSRF token
   * checked on unsafe methods): both give the same actor for the same person.
   */
  private async authenticate(req: AuthedRequest, res: Response): Promise<Actor> {
    const m = /^Bearer ([A-Za-z0-9._-]+)$/.exec(req.headers.authorization ?? '');
    if (!m) {
      const session = req.headers.authorization === undefined ? sessionOf(this.sessions, req) : null;
      if (session) return session.actor;
      await this.limiter.admit(req, res, undefined);
      throw new UnauthorizedException('Authorization: a bearer token is required');
    }
    try {
      return await this.verifier.verify(m[1]!);
    } catch (e) {
      if (e instanceof InvalidTokenError) {
        await this.limiter.admit(req, res, undefined);
        throw new UnauthorizedException(`Authorization: ${e.message}`);
      }
      if (e instanceof TokenVerifierUnavailableError)
        throw new ServiceUnavailableException('Authorization: the token issuer cannot be reached; retry later');
      throw e;
    }
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const http = context.switchToHttp();
    const req = http.getRequest<AuthedRequest>();
    const res = http.getResponse<Response>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      // The health probe is never limited (see UNLIMITED_PUBLIC_ROUTES): floods of forged tokens
      // from the probe's address must not make it answer 429.
      if (!isUnlimitedProbe(req)) await this.limiter.admit(req, res, undefined);
      return true;
    }
    const actor = await this.authenticate(req, res);
    await this.limiter.admit(req, res, actor);
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (!allowed.includes(actor.role)) throw new ForbiddenException(`role ${actor.role} may not do this`);
    const idempotencyKey = req.header('idempotency-key');
    const correlation = req.header('x-correlation-id');
    refuseHeadersWithPersonalCodes({ 'Idempotency-Key': idempotencyKey, 'X-Correlation-Id': correlation });
    req.ledgerContext = {
      actor,
      correlationId: correlation && /^[A-Za-z0-9._:-]{1,100}$/.test(correlation) ? correlation : randomUUID(),
      // The id the request log gave (requestIdOf: short, plain, never a personal code); none without a log.
      ...(typeof req.id === 'string' ? { requestId: req.id } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
    return true;
  }
}

/**
 * Both headers go into the metadata of every event written (and the key into derived ids), where a
 * personal code could never be erased. A malformed correlation id is still replaced silently, as
 * it carries nothing of the client's; a code-shaped one is refused instead: replacing it would
 * hide the mistake from a client that keeps sending codes (and keeps them in its own logs and
 * access logs on the way), and whatever the client correlates by would silently not match.
 */
function refuseHeadersWithPersonalCodes(headers: Record<string, string | undefined>): void {
  const message =
    'must not contain a personal code (asmens kodas) or 11 digits shaped like one: it is stored with the record; use a random id';
  const issues = Object.entries(headers)
    .filter(([, v]) => v !== undefined && containsPersonalCode(v))
    .map(([field]) => ({ field, rule: NO_PERSONAL_CODE, message }));
  if (issues.length > 0) {
    throw new UnprocessableEntityException({
      message: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
      issues,
    });
  }
}

/** The verified request context (actor from the token, correlation and idempotency keys from headers). */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const ctx = context.switchToHttp().getRequest<AuthedRequest>().ledgerContext;
  if (!ctx) throw new UnauthorizedException('no authenticated context');
  return ctx;
});
