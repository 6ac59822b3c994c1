import { timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { ForbiddenException, type Provider } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '@ihl/application';
import { API_CONFIG, type ApiSettings } from '../api.settings';
import { SESSION_COOKIE, readCookie } from './session-cookie';
import { SessionStore, type Session } from './session-store';

/** DI token of the {@link SessionStore} (one per app, closed with it). */
export const SESSION_STORE = Symbol('SESSION_STORE');

export const sessionStoreProvider: Provider = {
  provide: SESSION_STORE,
  useFactory: (config: ApiSettings) =>
    new SessionStore(join(config.dataDir, 'sessions.sqlite'), config.tokenMaxLifetimeSeconds * 1000),
  inject: [API_CONFIG],
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * A browser request made inside this site: Sec-Fetch-Site (sent by every current browser) must not
 * name another site; without it, an Origin header must be ours.
 */
export function fromThisSite(req: Request): boolean {
  const site = req.header('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = req.header('origin');
  return !origin || origin === `${req.protocol}://${req.header('host')}`;
}

/**
 * The session the request's cookie names, or null (no cookie, unknown or expired session). An
 * unsafe method must also carry the session's CSRF token in X-CSRF-Token and come from this site:
 * a cookie is sent by the browser whatever page makes the request, a header only by our own pages.
 */
export function sessionOf(store: SessionStore | undefined, req: Request): Session | null {
  const id = store ? readCookie(req, SESSION_COOKIE) : undefined;
  const session = id ? store!.find(id) : null;
  if (!session || SAFE_METHODS.has(req.method)) return session;
  const token = req.header('x-csrf-token');
  if (!token || !sameSecret(token, session.csrfToken))
    throw new ForbiddenException('X-CSRF-Token: a request signed in by cookie must carry the session’s CSRF token');
  if (!fromThisSite(req)) throw new ForbiddenException('Origin: a cookie-signed request must come from this site');
  return session;
}

/** The actor of a session, exactly as a bearer token with the same claims would give it. */
export const sessionActor = (session: Session): Actor => session.actor;
