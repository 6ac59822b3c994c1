import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { Actor, RequestContext, Role } from '@ihl/application';
import { InvalidTokenError, verifyToken } from '@ihl/auth';
import { API_CONFIG, type ApiSettings } from '../api.settings';
import { Inject } from '@nestjs/common';

const ROLES_KEY = 'ihl:roles';
const PUBLIC_KEY = 'ihl:public';

/** Roles allowed on a route; routes without it are refused (deny by default). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

type AuthedRequest = Request & { ledgerContext?: RequestContext };

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_CONFIG) private readonly settings: ApiSettings,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
    if (!m) throw new UnauthorizedException('Authorization: a bearer token is required');
    let actor: Actor;
    try {
      actor = await verifyToken({ secret: this.settings.jwtSecret, issuer: this.settings.jwtIssuer }, m[1]!);
    } catch (e) {
      if (e instanceof InvalidTokenError) throw new UnauthorizedException(`Authorization: ${e.message}`);
      throw e;
    }
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (!allowed.includes(actor.role)) throw new ForbiddenException(`role ${actor.role} may not do this`);
    const idempotencyKey = req.header('idempotency-key');
    const correlation = req.header('x-correlation-id');
    req.ledgerContext = {
      actor,
      correlationId: correlation && /^[A-Za-z0-9._:-]{1,100}$/.test(correlation) ? correlation : randomUUID(),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    };
    return true;
  }
}

/** The verified request context (actor from the token, correlation and idempotency keys from headers). */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const ctx = context.switchToHttp().getRequest<AuthedRequest>().ledgerContext;
  if (!ctx) throw new UnauthorizedException('no authenticated context');
  return ctx;
});
