import type { Request, Response } from 'express';
import type { ApiSettings } from '../api.settings';

export const SESSION_COOKIE = 'ihl_session';
export const LOGIN_COOKIE = 'ihl_login';

/** One cookie's value from the Cookie header (no cookie-parser: two cookies are all we read). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Secure whenever users reach us over https: LEDGER_PUBLIC_URL says so behind a TLS-ending proxy,
 * else the request itself. Plain http (a laptop's http://127.0.0.1:3000) gets no Secure flag: the
 * browser would drop a Secure cookie sent over http from a non-loopback host.
 */
export function cookieIsSecure(config: Pick<ApiSettings, 'publicUrl'>, req: Request): boolean {
  return config.publicUrl ? config.publicUrl.startsWith('https:') : req.secure;
}

export function setCookie(res: Response, name: string, value: string, maxAgeMs: number, secure: boolean): void {
  // HttpOnly: no script reads it; SameSite=Lax: not sent on cross-site POSTs, still on the provider's redirect back.
  res.cookie(name, value, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: maxAgeMs });
}

export function clearCookie(res: Response, name: string, secure: boolean): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
