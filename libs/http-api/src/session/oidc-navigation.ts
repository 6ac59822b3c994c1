import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor } from '@ihl/application';
import { InvalidTokenError } from '@ihl/auth';
import type { ApiSettings } from '../api.settings';
import { RateLimitExceededException, type RequestLimiter } from '../http/rate-limit';
import { OidcSignIn } from './oidc-sign-in';
import { LOGIN_COOKIE, SESSION_COOKIE, clearCookie, cookieIsSecure, readCookie, setCookie } from './session-cookie';
import type { SessionStore } from './session-store';

/** Starts a session for the actor in this browser (ending the one it had). */
export function startSession(
  store: SessionStore,
  config: Pick<ApiSettings, 'publicUrl'>,
  req: Request,
  res: Response,
  actor: Actor,
) {
  const previous = readCookie(req, SESSION_COOKIE);
  if (previous) store.end(previous);
  const { id, session } = store.create(actor);
  setCookie(res, SESSION_COOKIE, id, session.expiresAt - Date.now(), cookieIsSecure(config, req));
  return session;
}

/**
 * GET /auth/login and GET /auth/callback: the browser's trips to the OpenID provider and back.
 * They answer with redirects, not JSON, so they are plain Express handlers beside the API rather
 * than API routes; anonymous requests still spend the address's rate-limit budget. Without a
 * configured provider they do not exist (404 from the API).
 */
export function oidcNavigation(config: ApiSettings, store: SessionStore, limiter: RequestLimiter): RequestHandler {
  if (!config.oidc) return (_req, _res, next) => next();
  const oidc = new OidcSignIn(config.oidc);
  const guarded =
    (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
      Promise.resolve(limiter.admit(req, res, undefined)).then(
        () => handler(req, res).catch(() => res.redirect(303, '/sign-in?error=provider')),
        (e: unknown) => {
          if (e instanceof RateLimitExceededException) return void res.status(429).json(e.getResponse());
          next(e);
        },
      );
    };
  const login = guarded(async (req, res) => {
    const started = await oidc.start();
    store.beginLogin(started.state, started.login);
    setCookie(res, LOGIN_COOKIE, started.state, 10 * 60_000, cookieIsSecure(config, req));
    res.redirect(302, started.url);
  });
  const callback = guarded(async (req, res) => {
    const state = readCookie(req, LOGIN_COOKIE);
    clearCookie(res, LOGIN_COOKIE, cookieIsSecure(config, req));
    // The state must be the one this browser started with, and is good once.
    const login = state && state === req.query.state ? store.takeLogin(state) : null;
    if (!state || !login) return res.redirect(303, '/sign-in?error=state');
    let actor: Actor;
    try {
      actor = await oidc.finish(req.originalUrl, state, login);
    } catch (e) {
      return res.redirect(303, `/sign-in?error=${e instanceof InvalidTokenError ? 'claims' : 'provider'}`);
    }
    startSession(store, config, req, res, actor);
    res.redirect(303, '/');
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET') return next();
    if (req.path === '/auth/login') return login(req, res, next);
    if (req.path === '/auth/callback') return callback(req, res, next);
    next();
  };
}
